package dev.steadytext.distribution;

import dev.steadytext.testkit.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/steadytext run} as a child process, for what only a separate JVM can test: SIGTERM, {@code kill -9},
 * the ready line, exit codes.
 *
 * <p>stdout and stderr go to files in the given log directory (no pipe can fill up and stall the child; the logs
 * stay for a failed test's report). The launcher script {@code exec}s the JVM, so {@link #pid()} is the JVM's.
 *
 * <pre>{@code
 * try (PlatformProcess platform = PlatformProcess.builder(logs, "worker-1")
 *         .database(testDatabase).generationModel(Distribution.stories260K()).home(home).start()) {
 *     platform.awaitReady(Duration.ofSeconds(60));
 *     platform.kill();               // kill -9
 * }
 * }</pre>
 */
public final class PlatformProcess implements AutoCloseable {

    /** What the password environment variable holds when the database needs none: never printed, tests check. */
    public static final String SENTINEL_PASSWORD = "it-sentinel-password-7fd2";
    private static final String PASSWORD_VARIABLE = "STEADYTEXT_IT_PASSWORD";
    private static final Pattern READY = Pattern.compile("ready in ([0-9.]+) s");

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private PlatformProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static Builder builder(Path logDirectory, String name) {
        return new Builder(logDirectory, name);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits for the ready line and returns the start-up time it reports.
     *
     * @throws AssertionError if the process ends first or does not get ready in time, with its stderr
     */
    public Duration awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher ready = READY.matcher(stdout());
            if (ready.find()) {
                return Duration.ofMillis(Math.round(Double.parseDouble(ready.group(1)) * 1000));
            }
            if (!process.isAlive()) {
                throw new AssertionError("steadytext run exited with " + process.exitValue() + " before ready:\n"
                        + stderr());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("steadytext run not ready after " + timeout + ":\n" + stderr());
    }

    /** SIGTERM, then waits for the exit; returns the exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("steadytext run did not stop within " + timeout + " of SIGTERM:\n" + stderr());
        }
        return process.exitValue();
    }

    /** {@code kill -9}: no shutdown hook runs, claims stay until their lease expires. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /**
     * The environment a client command needs for the test database: the run's state file records no password, so a
     * server that asks for one gets it from {@code PGPASSWORD}, as psql would.
     */
    public static Map<String, String> clientEnvironment(TestDatabase database) {
        return database.password().isEmpty() ? Map.of() : Map.of("PGPASSWORD", database.password());
    }

    /** Runs another {@code steadytext} command (generate, embed, status) to completion. */
    public static CommandResult command(Path logDirectory, String name, Map<String, String> environment,
            String... arguments) throws IOException, InterruptedException {
        Files.createDirectories(logDirectory);
        Path out = logDirectory.resolve(name + ".stdout.txt");
        Path err = logDirectory.resolve(name + ".stderr.txt");
        List<String> command = new ArrayList<>();
        command.add(Distribution.launcherScript().toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("steadytext " + String.join(" ", arguments) + " did not finish in 120 s");
        }
        return new CommandResult(process.exitValue(), read(out), read(err));
    }

    /** A finished command. */
    public record CommandResult(int exitCode, String stdout, String stderr) {}

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds the {@code run} command line; nothing is required but the log directory and a name. */
    public static final class Builder {
        private final Path logDirectory;
        private final String name;
        private final List<String> arguments = new ArrayList<>(List.of("run"));
        private final Map<String, String> environment = new HashMap<>();
        private Optional<Path> home = Optional.empty();

        private Builder(Path logDirectory, String name) {
            this.logDirectory = logDirectory;
            this.name = name;
            environment.put(PASSWORD_VARIABLE, SENTINEL_PASSWORD);
            arguments.addAll(List.of("--password-env", PASSWORD_VARIABLE));
        }

        /** Serve the testkit database (otherwise the platform starts its own embedded PostgreSQL). */
        public Builder database(TestDatabase database) {
            arguments.addAll(List.of("--jdbc-url", database.jdbcUrl()));
            if (!database.user().isEmpty()) {
                arguments.addAll(List.of("--user", database.user()));
            }
            if (!database.password().isEmpty()) {
                environment.put(PASSWORD_VARIABLE, database.password());
            }
            return this;
        }

        /** Per-user state ({@code --home}); always give one, so tests never touch the real home directory. */
        public Builder home(Path directory) {
            home = Optional.of(directory);
            return this;
        }

        public Builder generationModel(Path model) {
            return arguments("--generation-model", model.toString());
        }

        /** Any further {@code run} options, e.g. {@code --port}, {@code --config}. */
        public Builder arguments(String... more) {
            arguments.addAll(List.of(more));
            return this;
        }

        public Builder environment(String key, String value) {
            environment.put(key, value);
            return this;
        }

        public PlatformProcess start() throws IOException {
            Files.createDirectories(logDirectory);
            List<String> command = new ArrayList<>();
            command.add(Distribution.launcherScript().toString());
            command.addAll(arguments);
            command.addAll(List.of("--home", home.orElseThrow(() -> new IllegalStateException("home is required"))
                    .toString()));
            Path out = logDirectory.resolve(name + ".stdout.txt");
            Path err = logDirectory.resolve(name + ".stderr.txt");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            // The JDK running the tests runs the platform too.
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().putAll(environment);
            return new PlatformProcess(builder.start(), out, err);
        }
    }
}
