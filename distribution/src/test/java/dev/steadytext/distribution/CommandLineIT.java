package dev.steadytext.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.distribution.PlatformProcess.CommandResult;
import dev.steadytext.testkit.PostgresExtension;
import dev.steadytext.testkit.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
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

            CommandResult generated = PlatformProcess.command(logs, "generate", Map.of(),
                    "generate", "--home", home.toString(), "--max-tokens", "12", "Once upon a time");
            assertThat(generated.exitCode()).as(generated.stderr()).isZero();
            assertThat(generated.stdout()).isNotBlank();

            awaitModelsServed(database, platform.pid(), "all-MiniLM-L6-v2", "stories260K");
            CommandResult status = PlatformProcess.command(logs, "status", Map.of(), "status", "--home", home.toString());
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
     * SIGTERM while the backends still load their models (the ONNX session takes 0.5-3 s after ready).
     *
     * <p>Disabled: the JVM dies with SIGSEGV in {@code OrtSession.createSession} on the "steadytext-onnx-load"
     * thread (exit 134 instead of 143), because the ONNX component's deactivation does not wait for its load
     * thread. Enable once backend-onnx joins that thread in {@code @Deactivate}.
     */
    @Test
    @Disabled("backend-onnx: deactivation does not wait for the model-loading thread")
    void sigterm_whileModelsLoad_stopsCleanly(TestDatabase database, @TempDir Path home) throws Exception {
        try (PlatformProcess platform = PlatformProcess.builder(logs, "run-sigterm-loading")
                .database(database).home(home).generationModel(Distribution.stories260K()).start()) {
            platform.awaitReady(READY_TIMEOUT);

            assertThat(platform.terminate(Duration.ofSeconds(60))).isEqualTo(143);
        }
    }

    @Test
    void badInput_printsTheSqlstate_andExitsNonZero(TestDatabase database, @TempDir Path home) throws Exception {
        try (PlatformProcess platform = PlatformProcess.builder(logs, "run-bad-input")
                .database(database).home(home).start()) {
            platform.awaitReady(READY_TIMEOUT);

            CommandResult empty = PlatformProcess.command(logs, "generate-empty", Map.of(),
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
