package dev.steadytext.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Installs or upgrades the SteadyText tables and SQL functions in one schema of a PostgreSQL database.
 *
 * <pre>{@code
 * MigrationResult result = SchemaMigrator.migrate(dataSource, "public", System.out::println);
 * }</pre>
 *
 * <p>Safe to call on every start: when the installed fingerprint (changelogs plus parameters) is current it returns
 * after two small queries without starting Liquibase. Safe to call from several processes at once: migrations of
 * one schema are serialised by an advisory lock and Liquibase's lock table, and a process that waited finds the work
 * done. Needs a UTF8 database and the dblink extension (created in schema {@code steadytext_private} if missing,
 * which takes a superuser); uses pgvector's type for embeddings when the {@code vector} extension is installed.
 */
public final class SchemaMigrator {

    /** Plain lower-case identifiers only: the name is spliced into SQL and used unquoted in function bodies. */
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private SchemaMigrator() {
    }

    /** Migrates using a connection from {@code dataSource}, closed afterwards. */
    public static MigrationResult migrate(DataSource dataSource, String schema, Consumer<String> progress) {
        try (Connection connection = dataSource.getConnection()) {
            return migrate(connection, schema, progress);
        } catch (SQLException e) {
            throw new SchemaMigrationException("schema: cannot connect: " + e.getMessage(), e);
        }
    }

    /**
     * Migrates on the caller's connection (left open, with its auto-commit setting restored).
     *
     * @param schema the schema for every table and function; created if missing
     * @param progress receives lines such as {@code schema: applying 020-requests (3/7)}
     */
    public static MigrationResult migrate(Connection connection, String schema, Consumer<String> progress) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(progress, "progress");
        if (schema == null || !SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema must be a lower-case SQL identifier such as public, not " + schema);
        }
        long start = System.nanoTime();
        try {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(true);
            try {
                return run(connection, schema, progress, start);
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SchemaMigrationException e) {
            throw e;
        } catch (Exception e) {
            throw new SchemaMigrationException("schema: migration of " + schema + " failed: " + e.getMessage(), e);
        }
    }

    private static MigrationResult run(Connection connection, String schema, Consumer<String> progress, long start)
            throws Exception {
        Environment environment = Environment.read(connection, schema);
        requireUtf8(environment);
        Map<String, String> parameters = Changelog.parameters(schema, environment);
        String fingerprint = Changelog.fingerprint(parameters);
        if (fingerprint.equals(environment.installedFingerprint())) {
            return result(0, true, environment, start);
        }
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_lock(hashtext(?))")) {
            lock.setString(1, "steadytext-migrate:" + schema); // one lock per target schema
            lock.execute();
        }
        try {
            // Another process may have migrated while we waited for the lock.
            environment = Environment.read(connection, schema);
            parameters = Changelog.parameters(schema, environment);
            fingerprint = Changelog.fingerprint(parameters);
            if (fingerprint.equals(environment.installedFingerprint())) {
                return result(0, true, environment, start);
            }
            prepare(connection, schema, environment);
            int applied = LiquibaseRun.update(connection, schema, parameters, progress);
            // Liquibase turns auto-commit off; the state row must be committed before the lock is released, or a
            // migrator waiting for the lock would not see it.
            connection.setAutoCommit(true);
            try (PreparedStatement state = connection.prepareStatement(
                    "INSERT INTO " + schema + ".steadytext_schema_state (fingerprint, version) VALUES (?, ?) "
                            + "ON CONFLICT (id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, "
                            + "version = EXCLUDED.version, installed_at = now()")) {
                state.setString(1, fingerprint); // fingerprint
                state.setString(2, Changelog.VERSION); // version
                state.executeUpdate();
            }
            return result(applied, false, environment, start);
        } finally {
            try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
                unlock.setString(1, "steadytext-migrate:" + schema);
                unlock.execute();
            }
        }
    }

    private static void requireUtf8(Environment environment) {
        if (!"UTF8".equals(environment.encoding())) {
            throw new SchemaMigrationException("schema: the database encoding is " + environment.encoding()
                    + ", but SteadyText needs UTF8 (cache keys hash the UTF-8 bytes of every input); create the "
                    + "database with ENCODING 'UTF8' TEMPLATE template0");
        }
    }

    /** The schema itself, and dblink in a private schema when the database does not have it yet. */
    private static void prepare(Connection connection, String schema, Environment environment) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            if (environment.dblinkSchema() == null) {
                String priv = Environment.PRIVATE_SCHEMA;
                try {
                    statement.execute("CREATE SCHEMA IF NOT EXISTS " + priv);
                    statement.execute("REVOKE ALL ON SCHEMA " + priv + " FROM PUBLIC");
                    statement.execute("CREATE EXTENSION IF NOT EXISTS dblink SCHEMA " + priv);
                    // Our loopback connection is authenticated as the functions' owner: nobody else may drive it.
                    statement.execute("REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA " + priv + " FROM PUBLIC");
                } catch (SQLException e) {
                    throw new SchemaMigrationException("schema: cannot install the dblink extension (" + e.getMessage()
                            + "); synchronous SQL calls need it. Ask a superuser to run: CREATE SCHEMA " + priv
                            + "; REVOKE ALL ON SCHEMA " + priv + " FROM PUBLIC; CREATE EXTENSION dblink SCHEMA "
                            + priv + ";", e);
                }
            }
        }
    }

    private static MigrationResult result(int applied, boolean upToDate, Environment environment, long start) {
        return new MigrationResult(applied, upToDate, environment.vectorSchema() != null,
                environment.embeddingType(), Duration.ofNanos(System.nanoTime() - start));
    }
}
