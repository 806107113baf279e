package dev.steadytext.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that provides one PostgreSQL {@link TestDatabase} per JVM.
 *
 * <p>By default it starts an embedded PostgreSQL 17 (zonky). When the system property
 * {@code steadytext.test.jdbcUrl} is non-empty it uses that server instead, as {@code steadytext.test.user} /
 * {@code steadytext.test.password}. Either way the tests get a freshly created database
 * ({@code steadytext_it_<random>}, UTF-8) that is dropped when the JVM exits.
 *
 * <p>Use {@code @ExtendWith(PostgresExtension.class)} and take a {@link TestDatabase} as a constructor or method
 * parameter, or call {@link #database()} directly.
 */
public final class PostgresExtension implements ParameterResolver {

    public static final String URL_PROPERTY = "steadytext.test.jdbcUrl";

    private static TestDatabase database;

    /** The JVM's test database, started on first use. */
    public static synchronized TestDatabase database() {
        if (database == null) {
            try {
                database = start();
            } catch (IOException | SQLException e) {
                throw new IllegalStateException("cannot start the test PostgreSQL: " + e.getMessage(), e);
            }
        }
        return database;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return database();
    }

    private static TestDatabase start() throws IOException, SQLException {
        String url = System.getProperty(URL_PROPERTY, "").trim();
        if (url.isEmpty()) {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            // Not getJdbcUrl(): it puts user= in the URL, which would override the user tests log in as.
            String adminUrl = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
            TestDatabase db = createDedicated(adminUrl, "postgres", "", true);
            // The embedded server dies with the JVM anyway; closing it removes its data directory.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; nothing else to do
                }
            }, "embedded-postgres-stop"));
            return db;
        }
        String user = System.getProperty("steadytext.test.user", "");
        String password = System.getProperty("steadytext.test.password", "");
        return createDedicated(url, user, password, false);
    }

    /** Creates steadytext_it_<random> on the server of {@code adminUrl} and drops it when the JVM exits. */
    private static TestDatabase createDedicated(String adminUrl, String user, String password, boolean embedded)
            throws SQLException {
        String name = "steadytext_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
                Statement statement = admin.createStatement()) {
            // template0: the template's encoding may not be UTF8 on an external server; ours must be.
            statement.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(adminUrl, user, password, name), "test-db-drop"));
        return new TestDatabase(withDatabase(adminUrl, name), user, password, embedded);
    }

    private static void drop(String adminUrl, String user, String password, String name) {
        try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
                Statement statement = admin.createStatement()) {
            // WITH (FORCE) (PostgreSQL 13+) ends sessions a test left open, such as dblink loopbacks.
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("testkit: could not drop test database " + name + ": " + e.getMessage());
        }
    }

    /** Replaces the database name in a jdbc:postgresql URL, keeping host, port and parameters. */
    static String withDatabase(String url, String database) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        String params = query < 0 ? "" : url.substring(query);
        String prefix = "jdbc:postgresql://";
        if (!base.startsWith(prefix)) {
            throw new IllegalArgumentException("not a jdbc:postgresql://host/db URL: " + url);
        }
        int slash = base.indexOf('/', prefix.length());
        String hostPart = slash < 0 ? base : base.substring(0, slash);
        return hostPart + "/" + database + params;
    }
}
