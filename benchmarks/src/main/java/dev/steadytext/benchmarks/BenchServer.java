package dev.steadytext.benchmarks;

import dev.steadytext.schema.SchemaMigrator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The embedded PostgreSQL 17 every figure runs against, started once by the launcher, with one database per figure
 * group so that no group sees another's models, cache rows or jobs.
 *
 * <p>zonky's defaults are kept ({@code synchronous_commit = off}, as in the platform's own embedded database), so the
 * figures describe the embedded set-up users get from {@code steadytext run}.
 */
final class BenchServer implements AutoCloseable {

    static final String USER = "postgres";

    private final EmbeddedPostgres postgres;

    private BenchServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static BenchServer start(Path dataDirectory, Path log) throws IOException {
        Files.createDirectories(dataDirectory.getParent());
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(true)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new BenchServer(postgres);
    }

    int port() {
        return postgres.getPort();
    }

    /** jdbc:postgresql URL of a database on this server, without credentials (trust authentication). */
    String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    String version() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Creates a UTF-8 database and installs the SteadyText schema into it, as a running installation has it. */
    String createWithSchema(String database, Consumer<String> progress) throws SQLException {
        try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
                Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + database + " TEMPLATE template0 ENCODING 'UTF8'");
        }
        // Liquibase prints an update summary on standard output, where the report goes: send it to standard error.
        PrintStream out = System.out;
        System.setOut(System.err);
        try (Connection c = DriverManager.getConnection(jdbcUrl(database), USER, "")) {
            SchemaMigrator.migrate(c, "public", progress);
        } finally {
            System.setOut(out);
        }
        return jdbcUrl(database);
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
