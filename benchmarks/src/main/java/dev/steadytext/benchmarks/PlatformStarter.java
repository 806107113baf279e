package dev.steadytext.benchmarks;

import dev.steadytext.benchmarks.noop.NoopGenerator;
import dev.steadytext.platform.PlatformOptions;
import dev.steadytext.platform.SteadyTextPlatform;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Optional;

/**
 * Starts the real platform (Felix with the distribution's bundles) in this JVM against the group's database, through
 * its public entry point, and waits until the SQL side sees its models.
 */
final class PlatformStarter {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private PlatformStarter() {}

    /**
     * @param home the platform's home (runtime directories); reused between starts of the ready figure
     * @param generationModel a GGUF model for llama.cpp, or empty for none
     * @param plugins a directory of drop-in bundles, or empty for none
     */
    static SteadyTextPlatform start(GroupContext context, Path home, Optional<Path> generationModel,
            Optional<Path> plugins) {
        return start(context, home, generationModel, plugins, Optional.empty());
    }

    /** As above, with a configuration directory ({@code conf/}) of the platform's. */
    static SteadyTextPlatform start(GroupContext context, Path home, Optional<Path> generationModel,
            Optional<Path> plugins, Optional<Path> configDirectory) {
        PlatformOptions.Builder options = PlatformOptions.builder()
                .bundlesDirectory(context.options().bundlesDir())
                .jdbcUrl(context.jdbcUrl())
                .user(BenchServer.USER)
                .homeDirectory(home)
                .readyTimeout(READY_TIMEOUT);
        generationModel.ifPresent(options::generationModel);
        plugins.ifPresent(options::pluginsDirectory);
        configDirectory.ifPresent(options::configDirectory);
        return SteadyTextPlatform.start(options.build());
    }

    /**
     * Starts the platform with the benchmark-only no-op generator as its default model ({@code <name>-plugins} and
     * {@code <name>-home} in the work directory), and waits until SQL can key requests for it.
     */
    static SteadyTextPlatform startWithNoopGenerator(GroupContext context, String name) throws Exception {
        Path plugins = context.workDir(name + "-plugins");
        NoopBundle.write(plugins);
        Timestamp since = serverNow(context);
        SteadyTextPlatform platform = start(context, context.workDir(name + "-home"), Optional.empty(),
                Optional.of(plugins));
        try {
            awaitModel(context, since, "generation", Optional.of(NoopGenerator.NAME), Duration.ofSeconds(60));
            return platform;
        } catch (Exception | Error e) {
            platform.close();
            throw e;
        }
    }

    /** The database server's clock now: models registered after it were registered by a platform started since. */
    static Timestamp serverNow(GroupContext context) throws SQLException {
        try (Connection c = context.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    /**
     * Waits until a worker has registered a default model of {@code kind} (and {@code name}, if given) at or after
     * {@code since}: only then can SQL key requests for it. Rows of an earlier start do not count.
     */
    static Duration awaitModel(GroupContext context, Timestamp since, String kind, Optional<String> name,
            Duration timeout) throws SQLException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        try (Connection c = context.connect(); PreparedStatement q = c.prepareStatement(
                "SELECT count(*) FROM steadytext_models WHERE kind = ? AND is_default AND (? IS NULL OR name = ?)"
                        + " AND last_seen >= ?")) {
            q.setString(1, kind); // kind
            q.setString(2, name.orElse(null)); // name, or any
            q.setString(3, name.orElse(null)); // name
            q.setTimestamp(4, since); // last_seen: registered by this start
            while (true) {
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return Duration.ofNanos(System.nanoTime() - start);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no " + kind + " model " + name.orElse("") + " registered after "
                            + timeout.toSeconds() + " s");
                }
                Thread.sleep(10);
            }
        }
    }
}
