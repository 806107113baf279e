package dev.steadytext.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL database for integration tests: one per JVM, shared by every test class in it, cleaned between tests
 * by truncation (never a database per test).
 *
 * <p>Obtain it through {@link PostgresExtension}. The database is always a fresh, dedicated, UTF-8 one, so runs
 * against a shared external server do not collide.
 */
public final class TestDatabase {

    /** Tables holding data that one test must not leak into the next; steadytext_config is kept. */
    private static final String[] DATA_TABLES = {
        "steadytext_cache_access", "steadytext_cache", "steadytext_queue", "steadytext_workers", "steadytext_models"};

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final boolean embedded;
    private final PGSimpleDataSource dataSource;
    private final Set<String> done = new HashSet<>();

    TestDatabase(String jdbcUrl, String user, String password, boolean embedded) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
        this.dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(user);
        dataSource.setPassword(password);
    }

    /** Something done with a connection, such as installing the schema. */
    @FunctionalInterface
    public interface SqlAction {
        void run(Connection connection) throws Exception;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** The URL of another database on the same server, with the same credentials. */
    public String jdbcUrlOf(String database) {
        return PostgresExtension.withDatabase(jdbcUrl, database);
    }

    /** Whether this is the embedded PostgreSQL 17 rather than an external server. */
    public boolean embedded() {
        return embedded;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** A new connection (autocommit on); the caller closes it. */
    public Connection connect() throws SQLException {
        return dataSource.getConnection();
    }

    /**
     * Runs {@code action} once per JVM for {@code key} (for example installing the schema), however many test
     * classes ask. A failure is rethrown to every caller and retried by the next one.
     */
    public synchronized void once(String key, SqlAction action) throws Exception {
        if (done.contains(key)) {
            return;
        }
        try (Connection connection = connect()) {
            action.run(connection);
        }
        done.add(key);
    }

    /**
     * Empties the SteadyText data tables of {@code schema} and zeroes the hit/miss counters; configuration stays.
     * Tables that do not exist (schema not installed) are skipped.
     */
    public void truncateSteadytext(String schema) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            StringBuilder tables = new StringBuilder();
            for (String table : DATA_TABLES) {
                String qualified = quoteIdent(schema) + "." + table;
                try (var rs = statement.executeQuery("SELECT to_regclass('" + qualified.replace("'", "''") + "')")) {
                    rs.next();
                    if (rs.getString(1) != null) {
                        tables.append(tables.isEmpty() ? "" : ", ").append(qualified);
                    }
                }
            }
            if (!tables.isEmpty()) {
                statement.execute("TRUNCATE " + tables);
            }
            try (var rs = statement.executeQuery(
                    "SELECT to_regclass('" + (quoteIdent(schema) + ".steadytext_cache_counters").replace("'", "''") + "')")) {
                rs.next();
                if (rs.getString(1) != null) {
                    statement.execute("UPDATE " + quoteIdent(schema) + ".steadytext_cache_counters SET hits = 0, misses = 0");
                }
            }
        }
    }

    /**
     * On an external server, creates the documented loopback setup for servers where dblink cannot connect without
     * credentials: the foreign server {@code steadytext_loopback} plus a user mapping for the functions' owner (the
     * test user). The embedded server trusts local connections and needs none. Call after the schema is installed
     * (it brings {@code dblink_fdw}).
     */
    public void createLoopbackServerIfExternal() throws SQLException {
        if (embedded) {
            return;
        }
        java.net.URI uri = java.net.URI.create(jdbcUrl.substring("jdbc:".length()));
        String host = uri.getHost() == null ? "localhost" : uri.getHost();
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String database = uri.getPath().substring(1);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SERVER IF NOT EXISTS steadytext_loopback FOREIGN DATA WRAPPER dblink_fdw OPTIONS"
                    + " (host " + literal(host) + ", port " + literal(Integer.toString(port)) + ", dbname "
                    + literal(database) + ")");
            statement.execute("CREATE USER MAPPING IF NOT EXISTS FOR CURRENT_USER SERVER steadytext_loopback OPTIONS"
                    + " (user " + literal(user) + ", password " + literal(password) + ")");
        }
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** Quotes a PostgreSQL identifier. */
    public static String quoteIdent(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
