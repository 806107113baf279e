package dev.steadytext.platform.internal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The embedded PostgreSQL 17 (zonky binaries) that serves when no database is configured.
 *
 * <p>The data directory persists: zonky runs {@code initdb} only when the directory has no {@code postgresql.conf},
 * so the second start reuses the cluster and everything in it. The binaries are extracted once under the home
 * directory rather than the shared temp directory, next to the data they serve.
 */
final class EmbeddedDatabase implements AutoCloseable {

    /** The superuser zonky's initdb creates, with trust authentication on localhost only. */
    static final String USER = "postgres";

    private static final System.Logger LOG = System.getLogger(EmbeddedDatabase.class.getName());

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts PostgreSQL on the data directory, creating the cluster on first use. */
    static EmbeddedDatabase start(Path dataDirectory, Path binariesDirectory, Path serverLog, int port) {
        boolean existing = Files.isRegularFile(dataDirectory.resolve("postgresql.conf"));
        LOG.log(System.Logger.Level.INFO, "{0} embedded PostgreSQL 17 in {1} on port {2,number,#}",
                existing ? "Starting" : "Creating", dataDirectory, port);
        try {
            Files.createDirectories(dataDirectory);
            Files.createDirectories(binariesDirectory);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(binariesDirectory.toFile())
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // zonky defaults suit throw-away test servers; this one keeps the user's jobs and cache, so a
                    // crash must lose no committed job or cache entry.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    // initdb's, pg_ctl's and the server's output: to a file, where "why did it not start" is answered.
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
                    // The platform stops PostgreSQL itself, after the framework: the worker must release its claims
                    // while the database is still up.
                    .setRegisterShutdownHook(false)
                    .start();
            return new EmbeddedDatabase(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDirectory
                    + " on port " + port + " (is another instance using the directory or the port? see " + serverLog
                    + ")", e);
        }
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl(USER, "postgres");
    }

    int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not stop the embedded PostgreSQL cleanly", e);
        }
    }
}
