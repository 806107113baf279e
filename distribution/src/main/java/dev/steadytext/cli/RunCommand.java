package dev.steadytext.cli;

import dev.steadytext.platform.DatabaseEndpoint;
import dev.steadytext.platform.PlatformException;
import dev.steadytext.platform.PlatformOptions;
import dev.steadytext.platform.SteadyTextPlatform;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code steadytext run}: starts the platform and serves until stopped (Ctrl-C or SIGTERM).
 *
 * <p>Prints exactly one line containing {@code ready}, on stdout, when the worker serves requests; logs go to stderr.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Start the worker platform and serve SQL callers until stopped (Ctrl-C, SIGTERM).",
                "Without --jdbc-url it starts an embedded PostgreSQL 17 whose data survives restarts."})
final class RunCommand implements Callable<Integer> {

    /** How long a signal during start-up waits for the start to stop what it started. */
    private static final Duration START_ABORT_WAIT = Duration.ofSeconds(30);
    private static final int SIGTERM_EXIT = 128 + 15;

    @Mixin
    DatabaseOptions database;

    @Mixin
    UserHome home;

    @Option(names = "--generation-model", paramLabel = "PATH", description = "GGUF model for text generation (llama.cpp).")
    Path generationModel;

    @Option(names = "--config", paramLabel = "DIR", description = "Configuration directory watched for *.cfg files (default: the distribution's conf/).")
    Path configDirectory;

    @Option(names = "--plugins", paramLabel = "DIR", description = "Drop-in bundle directory (default: the distribution's plugins/).")
    Path pluginsDirectory;

    @Option(names = "--bundles", paramLabel = "DIR", description = "Bundles to install (default: the distribution's bundles/).")
    Path bundlesDirectory;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Embedded PostgreSQL data directory (default: postgres/ in the home directory).")
    Path dataDirectory;

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + PlatformOptions.DEFAULT_EMBEDDED_PORT,
            description = "Embedded PostgreSQL port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--schema", paramLabel = "NAME", defaultValue = "public", description = "Schema for the steadytext tables (default: ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--ready-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long to wait for the worker before failing with a diagnosis (default: ${DEFAULT-VALUE}).")
    long readyTimeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PlatformOptions options = options();
        RuntimeStateFile state = new RuntimeStateFile(options.homeDirectory());
        // The hook is in place before the start: a signal while starting (the embedded database may be up already)
        // interrupts the start, which then stops whatever it started, and the hook waits for that.
        Thread starter = Thread.currentThread();
        AtomicReference<SteadyTextPlatform> running = new AtomicReference<>();
        CountDownLatch startEnded = new CountDownLatch(1);
        AtomicBoolean signalled = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (startEnded.getCount() > 0) {
                signalled.set(true);
                starter.interrupt();
                awaitQuietly(startEnded, START_ABORT_WAIT);
            }
            SteadyTextPlatform started = running.get();
            if (started != null) {
                started.close();
                state.deleteIfOwn();
            }
        }, "steadytext-shutdown"));
        try {
            running.set(SteadyTextPlatform.start(options));
        } catch (PlatformException e) {
            if (!signalled.get()) {
                throw e;
            }
            spec.commandLine().getErr().println("steadytext: start-up stopped by a signal; what had started is stopped");
            return SIGTERM_EXIT;
        } finally {
            startEnded.countDown();
        }
        SteadyTextPlatform platform = running.get();
        state.write(platform.database());
        printReady(platform);
        platform.awaitStop();
        return 0;
    }

    private static void awaitQuietly(CountDownLatch latch, Duration timeout) {
        try {
            latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private PlatformOptions options() {
        Path bundles = bundlesDirectory != null ? bundlesDirectory : DistributionLayout.directory("bundles")
                .orElseThrow(() -> new IllegalArgumentException(
                        "--bundles is required when not started from bin/steadytext"));
        if (generationModel != null && !Files.isRegularFile(generationModel)) {
            throw new IllegalArgumentException("--generation-model: no such file: " + generationModel);
        }
        return PlatformOptions.builder()
                .jdbcUrl(database.jdbcUrl().orElse(null))
                .user(database.user().orElse(null))
                .password(database.password().orElse(null))
                .schema(schema)
                .homeDirectory(home.directory())
                .embeddedDataDirectory(dataDirectory)
                .embeddedPort(port)
                .bundlesDirectory(bundles)
                .configDirectory(existing(configDirectory, "conf"))
                .pluginsDirectory(existing(pluginsDirectory, "plugins"))
                .generationModel(generationModel)
                .readyTimeout(Duration.ofSeconds(readyTimeoutSeconds))
                .build();
    }

    private static Path existing(Path given, String distributionDirectory) {
        Path directory = given != null ? given : DistributionLayout.directory(distributionDirectory).orElse(null);
        if (given != null && !Files.isDirectory(given)) {
            throw new IllegalArgumentException("no such directory: " + given);
        }
        return directory != null && Files.isDirectory(directory) ? directory : null;
    }

    private void printReady(SteadyTextPlatform platform) {
        DatabaseEndpoint endpoint = platform.database();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "SteadyText ready in %.2f s: %s (connect: %s)%n",
                platform.startupTime().toMillis() / 1000.0, endpoint.jdbcUrl(), endpoint.psqlCommand());
        out.flush();
    }
}
