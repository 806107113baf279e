package dev.steadytext.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.testkit.CacheKeyVectors;
import dev.steadytext.testkit.CacheKeyVectors.Vector;
import dev.steadytext.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SQL cache key gives the shared vectors' keys, which the Java CacheKey gives too (testkit CacheKeyVectorsTest). */
class CacheKeyVectorsIT {

    private TestDatabase db;

    @BeforeEach
    void setUp() throws Exception {
        db = Fixture.database();
        Fixture.reset(db);
    }

    @Test
    void canonicalKey_matchesEveryVector() throws Exception {
        List<Vector> vectors = CacheKeyVectors.load();
        assertThat(vectors).hasSizeGreaterThanOrEqualTo(20);
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT steadytext_cache_key_canonical(?, ?, CASE WHEN ? THEN jsonb_build_object("
                        + "'eos_string', ?::text, 'max_tokens', ?::int, 'seed', ?::int) ELSE '{}' END"
                        + " || jsonb_object(?::text[]), ?)")) {
            for (Vector v : vectors) {
                boolean generation = v.kind().equals("generation");
                ps.setString(1, v.kind()); // kind
                ps.setString(2, v.model()); // model_fingerprint
                ps.setBoolean(3, generation); // whether the generation parameters apply
                ps.setString(4, v.eosString()); // param eos_string
                ps.setObject(5, v.maxTokens()); // param max_tokens
                ps.setObject(6, v.seed()); // param seed
                ps.setArray(7, c.createArrayOf("text", v.extraParams().entrySet().stream()
                        .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray())); // extra params
                ps.setString(8, v.input()); // input
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getString(1)).as(v.name()).isEqualTo(v.key());
                }
            }
        }
    }

    @Test
    void requestKeyFunctions_matchTheVectorsForARegisteredModel() throws Exception {
        List<Vector> vectors = CacheKeyVectors.load();
        try (Connection c = db.connect();
                PreparedStatement gen = c.prepareStatement("SELECT steadytext_cache_key(?, ?, ?, ?, ?)");
                PreparedStatement emb = c.prepareStatement("SELECT steadytext_embed_cache_key(?, ?)")) {
            for (Vector v : vectors) {
                // Structured vectors: StructuredRequestIT checks them through the structured functions.
                if (v.input().length() > 65536 || v.input().isEmpty() || !v.extraParams().isEmpty()) {
                    continue;
                }
                registerModelWithFingerprint(c, v.kind(), v.model());
                PreparedStatement ps;
                if (v.kind().equals("generation")) {
                    ps = gen;
                    ps.setString(1, v.input()); // prompt
                    ps.setInt(2, v.maxTokens()); // max_tokens
                    ps.setInt(3, v.seed()); // seed
                    ps.setString(4, v.eosString()); // eos_string
                    ps.setString(5, v.model()); // model, given by fingerprint
                } else {
                    ps = emb;
                    ps.setString(1, v.input()); // text_input
                    ps.setString(2, v.model()); // model
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getString(1)).as(v.name()).isEqualTo(v.key());
                }
            }
        }
    }

    private static void registerModelWithFingerprint(Connection c, String kind, String fingerprint) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO steadytext_models (fingerprint, kind, name, backend, backend_version, model_sha256, settings)
                VALUES (?, ?, ?, 'test', '1', ?, '') ON CONFLICT (fingerprint) DO UPDATE SET kind = EXCLUDED.kind
                """)) {
            ps.setString(1, fingerprint); // fingerprint
            ps.setString(2, kind); // kind
            ps.setString(3, "m-" + fingerprint.substring(0, 8)); // name
            ps.setString(4, fingerprint); // model_sha256
            ps.executeUpdate();
        }
    }
}
