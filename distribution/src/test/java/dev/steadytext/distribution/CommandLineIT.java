package dev.steadytext.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.distribution.PlatformProcess.CommandResult;
import dev.steadytext.testkit.PostgresExtension;
import dev.steadytext.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/steadytext} as users run it: a separate JVM against the testkit database. */
@ExtendWith(PostgresExtension.class)
class CommandLineIT {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private final Path logs = Distribution.logDirectory(CommandLineIT.class);

    @Test
    void run_printsOneReadyLine_servesSqlCallers_andStopsOnSigterm(TestDatabase database, @TempDir Path home)
            throws Exception {
        try (PlatformProcess platform = PlatformProcess.builder(logs, "run-sigterm")
                .database(database).home(home).generationModel(Distribution.stories260K()).start()) {
            Duration startup = platform.awaitReady(READY_TIMEOUT);
            System.out.printf("steadytext run ready in %d ms%n", startup.toMillis());

            assertThat(platform.stdout().lines().filter(line -> line.contains("ready"))).hasSize(1);
            assertThat(platform.stdout()).contains("psql \"postgresql://");

            CommandResult generated = PlatformProcess.command(logs, "generate", PlatformProcess.clientEnvironment(database),
                    "generate", "--home", home.toString(), "--max-tokens", "12", "Once upon a time");
            assertThat(generated.exitCode()).as(generated.stderr()).isZero();
            assertThat(generated.stdout()).isNotBlank();

            awaitModelsServed(database, platform.pid(), "all-MiniLM-L6-v2", "stories260K");
            CommandResult status = PlatformProcess.command(logs, "status", PlatformProcess.clientEnvironment(database), "status", "--home", home.toString());
            assertThat(status.exitCode()).as(status.stderr()).isZero();
            // Workers of earlier tests on this database may still count as live until their heartbeats age out.
            assertThat(status.stdout()).containsPattern("\\t" + platform.pid() + "\\t");

            int exit = platform.terminate(Duration.ofSeconds(60));
            assertThat(exit).as("exit code after SIGTERM (128 + 15)").isEqualTo(143);
            assertThat(platform.stderr()).contains("stopped after");
            assertThat(platform.stdout() + platform.stderr()).doesNotContain(PlatformProcess.SENTINEL_PASSWORD);
            assertThat(home.resolve("runtime.properties")).as("state file removed on stop").doesNotExist();
        }
    }

    /**
     * SIGTERM while the backends still load their models. "ready" now waits until the worker serves the models, so the
     * signal goes as soon as the framework has started its bundles ({@code Framework started} on stderr): the ONNX and
     * llama.cpp components have only started their loader threads then, and loading takes seconds more. The backends'
     * deactivation waits for those threads, so the JVM must exit with 143 (128 + SIGTERM), not crash (134, SIGSEGV in
     * {@code OrtSession.createSession}) and not log errors such as "ZipFile closed".
     */
    @Test
    void sigterm_whileModelsLoad_stopsCleanly(TestDatabase database, @TempDir Path home) throws Exception {
        try (PlatformProcess platform = PlatformProcess.builder(logs, "run-sigterm-loading")
                .database(database).home(home).generationModel(Distribution.stories260K()).start()) {
            awaitStderr(platform, "Framework started", READY_TIMEOUT);

            int exit = platform.terminate(Duration.ofSeconds(60));

            String output = platform.stdout() + platform.stderr();
            assertThat(exit).as("exit code after SIGTERM (128 + 15):%n%s", output).isEqualTo(143);
            assertThat(platform.stdout()).as("SIGTERM came before ready").doesNotContain("ready in");
            assertThat(output).doesNotContain("A fatal error has been detected").doesNotContain("SEVERE")
                    .doesNotContain("ZipFile closed");
            // The aborted start stopped what it had started: the framework, whose storage is the runtime directory.
            try (var left = Files.list(home.resolve("run"))) {
                assertThat(left.toList()).as("runtime directories left after a SIGTERM during start-up").isEmpty();
            }
        }
    }

    /**
     * SIGTERM while the embedding model reloads after ready: a changed {@code conf/} file makes the ONNX component
     * deactivate and load again (about a second), and the signal comes a few hundred milliseconds later, so the
     * shutdown hook stops the framework, and with it the component, while its loader thread opens the session. The
     * platform must stop as usual: 143, "stopped after", state file removed, no crash. A load may still be reported as
     * failed: ONNX Runtime's own shutdown hook can release its environment under a session that is being opened while
     * the JVM exits; that is an error message, not a crash, and nothing of it outlives the process.
     */
    @Test
    @Disabled("Known crash, not yet fixed: SIGTERM while ONNX Runtime opens a session during a reload sometimes aborts"
            + " the JVM at exit (exit 134, assertion on onnxruntime::Environment in native code) after the worker has"
            + " already released its jobs; seen once in three CI runs. To be fixed in the ONNX backend's shutdown order.")
    void sigterm_whileTheEmbeddingModelReloads_stopsCleanly(TestDatabase database, @TempDir Path home,
            @TempDir Path conf) throws Exception {
        Path onnxConfig = conf.resolve("dev.steadytext.backend.onnx.cfg");
        Files.writeString(onnxConfig, "intraOpThreads = 2\n");
        try (PlatformProcess platform = PlatformProcess.builder(logs, "run-sigterm-reloading")
                .database(database).home(home).arguments("--config", conf.toString()).start()) {
            platform.awaitReady(READY_TIMEOUT);

            // FileInstall polls every 200 ms; the new activation then hashes, opens and self-checks the model (over a
            // second here), so 600 ms later the loader is busy.
            Files.writeString(onnxConfig, "intraOpThreads = 1\n");
            Thread.sleep(600);
            int exit = platform.terminate(Duration.ofSeconds(60));

            String output = platform.stdout() + platform.stderr();
            assertThat(exit).as("exit code after SIGTERM (128 + 15):%n%s", output).isEqualTo(143);
            assertThat(platform.stderr()).contains("stopped after");
            assertThat(output).doesNotContain("A fatal error has been detected").doesNotContain("ZipFile closed");
            assertThat(home.resolve("runtime.properties")).as("state file removed on stop").doesNotExist();
        }
    }

    /** Waits until the process's stderr contains {@code text}; fails if it exits or the time runs out first. */
    private static void awaitStderr(PlatformProcess platform, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!platform.stderr().contains(text)) {
            if (!platform.isAlive()) {
                throw new AssertionError("steadytext run exited before printing \"" + text + "\":\n"
                        + platform.stderr());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("steadytext run did not print \"" + text + "\" within " + timeout + ":\n"
                        + platform.stderr());
            }
            Thread.sleep(5);
        }
    }

    @Test
    void badInput_printsTheSqlstate_andExitsNonZero(TestDatabase database, @TempDir Path home) throws Exception {
        try (PlatformProcess platform = PlatformProcess.builder(logs, "run-bad-input")
                .database(database).home(home).start()) {
            platform.awaitReady(READY_TIMEOUT);

            CommandResult empty = PlatformProcess.command(logs, "generate-empty", PlatformProcess.clientEnvironment(database),
                    "generate", "--home", home.toString(), "");

            assertThat(empty.exitCode()).isEqualTo(1);
            assertThat(empty.stderr()).startsWith("ERROR 22023: ");
            platform.terminate(Duration.ofSeconds(60));
        }
    }

    @Test
    void kill9_thenRestart_servesAgain(TestDatabase database, @TempDir Path home) throws Exception {
        long killedPid;
        try (PlatformProcess first = PlatformProcess.builder(logs, "run-killed")
                .database(database).home(home).start()) {
            first.awaitReady(READY_TIMEOUT);
            killedPid = first.pid();
            first.kill();
        }
        assertThat(home.resolve("run").resolve(Long.toString(killedPid))).as("left behind by kill -9").exists();

        try (PlatformProcess second = PlatformProcess.builder(logs, "run-after-kill")
                .database(database).home(home).start()) {
            Duration startup = second.awaitReady(READY_TIMEOUT);
            System.out.printf("steadytext run ready in %d ms (restart after kill -9, schema installed)%n", startup.toMillis());

            assertThat(home.resolve("run").resolve(Long.toString(killedPid)))
                    .as("a dead process's runtime directory is removed at the next start")
                    .doesNotExist();
            try (Connection connection = database.connect();
                    Statement statement = connection.createStatement();
                    ResultSet workers = statement.executeQuery("SELECT count(*) FROM steadytext_worker_status()")) {
                workers.next();
                assertThat(workers.getInt(1)).as("live workers").isGreaterThanOrEqualTo(1);
            }
            second.terminate(Duration.ofSeconds(60));
        }
    }

    /** Waits until the worker of the process heartbeats with every given model loaded. */
    private static void awaitModelsServed(TestDatabase database, long pid, String... models) throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String served = "";
        while (System.nanoTime() < deadline) {
            try (Connection connection = database.connect();
                    PreparedStatement statement = connection.prepareStatement(
                            "SELECT array_to_string(models, ',') FROM steadytext_worker_status() WHERE pid = ?")) {
                statement.setLong(1, pid); // pid
                try (ResultSet worker = statement.executeQuery()) {
                    served = worker.next() ? worker.getString(1) : "";
                }
            }
            if (Arrays.stream(models).allMatch(served::contains)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("worker " + pid + " serves only [" + served + "], expected " + String.join(", ", models));
    }
}
