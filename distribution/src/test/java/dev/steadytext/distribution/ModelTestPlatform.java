package dev.steadytext.distribution;

import dev.steadytext.platform.SteadyTextPlatform;
import dev.steadytext.testkit.PostgresExtension;
import dev.steadytext.testkit.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** The set-up the model-loading tests share: a database without models, a platform on it, and a plain caller. */
final class ModelTestPlatform {

    /** SHA-256 of ../shared/models/stories260K.gguf. */
    static final String STORIES_SHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";

    private ModelTestPlatform() {}

    /** The test database with no cache, queue, models or load requests: a server shared with other tests may hold them. */
    static TestDatabase databaseWithoutModels() throws Exception {
        TestDatabase db = PostgresExtension.database();
        db.truncateSteadytext("public");
        if (Sql.text(db, "SELECT to_regclass('steadytext_model_requests')") != null) {
            Sql.text(db, "WITH deleted AS (DELETE FROM steadytext_model_requests RETURNING 1) "
                    + "SELECT count(*) FROM deleted");
        }
        return db;
    }

    /** The platform with no generation model, configured from {@code conf}. */
    static SteadyTextPlatform start(TestDatabase db, Path home, Path conf) throws SQLException {
        SteadyTextPlatform platform = InProcessPlatform.start(
                InProcessPlatform.options(db, home).configDirectory(conf).build());
        db.createLoopbackServerIfExternal();
        return platform;
    }

    /** The registry entry of a generation model named {@code name}: the stories260K file of {@code repository}. */
    static String storiesEntry(String name, String repository) {
        return String.join("\n", "model." + name + ".kind = generation", "model." + name + ".repository = " + repository,
                "model." + name + ".file = stories260K.gguf", "model." + name + ".sha256 = " + STORIES_SHA256);
    }

    /** Stops the platform and the file server, either of which may not have started. */
    static void stop(SteadyTextPlatform platform, ModelFileServer server) {
        if (platform != null) {
            platform.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A login role that is no superuser nor admin, connected; closing drops it with all it owns. */
    static final class PlainCaller implements AutoCloseable {
        private final TestDatabase db;
        private final String role;
        private final Connection connection;

        PlainCaller(TestDatabase db, String role) throws SQLException {
            this.db = db;
            this.role = role;
            try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
                s.execute("DROP ROLE IF EXISTS " + role);
                s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'plain-pw' NOSUPERUSER");
            }
            this.connection = DriverManager.getConnection(db.jdbcUrl(), role, "plain-pw");
        }

        Connection connection() {
            return connection;
        }

        @Override
        public void close() throws SQLException {
            connection.close();
            try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
                s.execute("DROP OWNED BY " + role + " CASCADE");
                s.execute("DROP ROLE " + role);
            }
        }
    }
}
