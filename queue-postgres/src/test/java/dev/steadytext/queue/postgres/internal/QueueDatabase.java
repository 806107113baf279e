package dev.steadytext.queue.postgres.internal;

import dev.steadytext.schema.SchemaMigrator;
import dev.steadytext.testkit.PostgresExtension;
import dev.steadytext.testkit.TestDatabase;
import java.lang.annotation.Annotation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The test database with the schema installed, and ways to put requests into the queue as SQL callers do. */
final class QueueDatabase {

    static final String GENERATION_MODEL = "a".repeat(64);
    static final String EMBEDDING_MODEL = "b".repeat(64);

    private QueueDatabase() {
    }

    static TestDatabase fresh() throws Exception {
        TestDatabase db = PostgresExtension.database();
        db.once("steadytext-schema", connection -> SchemaMigrator.migrate(connection, "public", System.out::println));
        db.truncateSteadytext("public");
        try (Connection c = db.connect(); PreparedStatement insert = c.prepareStatement("""
                INSERT INTO steadytext_models (fingerprint, kind, name, backend, backend_version, model_sha256, settings,
                                               dimension, is_default)
                VALUES (?, 'generation', 'test-generator', 'test', '1', ?, '', 0, true),
                       (?, 'embedding', 'test-embedder', 'test', '1', ?, '', 3, true)
                """)) {
            insert.setString(1, GENERATION_MODEL);
            insert.setString(2, GENERATION_MODEL);
            insert.setString(3, EMBEDDING_MODEL);
            insert.setString(4, EMBEDDING_MODEL);
            insert.executeUpdate();
        }
        return db;
    }

    /** Enqueues generation requests through the SQL API, oldest first. */
    static List<UUID> generateAsync(TestDatabase db, int count, String prefix) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = db.connect();
             PreparedStatement enqueue = c.prepareStatement("SELECT steadytext_generate_async(?, 16)")) {
            for (int i = 0; i < count; i++) {
                enqueue.setString(1, prefix + " " + i);
                try (ResultSet row = enqueue.executeQuery()) {
                    row.next();
                    ids.add(row.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }

    static String status(TestDatabase db, UUID requestId) throws SQLException {
        return value(db, "SELECT status FROM steadytext_queue WHERE request_id = ?", requestId);
    }

    static String value(TestDatabase db, String sql, Object parameter) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement query = c.prepareStatement(sql)) {
            query.setObject(1, parameter);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    static void execute(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); var statement = c.createStatement()) {
            statement.execute(sql);
        }
    }

    static PostgresJobQueue.Config config(long retryBaseMillis, long retryMaxMillis) {
        return new PostgresJobQueue.Config() {
            @Override
            public long retryBaseMillis() {
                return retryBaseMillis;
            }

            @Override
            public long retryMaxMillis() {
                return retryMaxMillis;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return PostgresJobQueue.Config.class;
            }
        };
    }
}
