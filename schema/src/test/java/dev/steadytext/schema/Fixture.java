package dev.steadytext.schema;

import dev.steadytext.testkit.PostgresExtension;
import dev.steadytext.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/** The schema installed once per JVM in the test database, and helpers shared by the ITs. */
final class Fixture {

    static final String SCHEMA = "public";

    private Fixture() {
    }

    /** The test database with the schema installed (once per JVM). */
    static TestDatabase database() throws Exception {
        TestDatabase db = PostgresExtension.database();
        db.once("steadytext-schema:" + SCHEMA, connection -> {
            MigrationResult result = SchemaMigrator.migrate(connection, SCHEMA, System.out::println);
            System.out.println("schema: installed " + result);
            // On an external server the dblink loopback needs credentials: the documented foreign server + user mapping.
            db.createLoopbackServerIfExternal();
        });
        return db;
    }

    /** Empties the data tables; configuration stays. */
    static void reset(TestDatabase db) throws SQLException {
        db.truncateSteadytext(SCHEMA);
    }

    /** Registers a model as a worker would, and returns its fingerprint. */
    static String registerModel(TestDatabase db, String kind, String name, boolean isDefault) throws SQLException {
        String fingerprint = sha256Hex(kind + ":" + name);
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO steadytext_models (fingerprint, kind, name, backend, backend_version, model_sha256,
                                               settings, dimension, is_default)
                VALUES (?, ?, ?, 'test', '1', ?, '', ?, ?)
                ON CONFLICT (fingerprint) DO UPDATE SET is_default = EXCLUDED.is_default, last_seen = now()
                """)) {
            ps.setString(1, fingerprint); // fingerprint
            ps.setString(2, kind); // kind
            ps.setString(3, name); // name
            ps.setString(4, fingerprint); // model_sha256 (any 64 hex digits)
            ps.setInt(5, kind.equals("embedding") ? 4 : 0); // dimension
            ps.setBoolean(6, isDefault); // is_default
            ps.executeUpdate();
        }
        return fingerprint;
    }

    static String sha256Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String randomName(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }
}
