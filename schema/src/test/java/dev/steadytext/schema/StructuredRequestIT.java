package dev.steadytext.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.testkit.CacheKeyVectors;
import dev.steadytext.testkit.CacheKeyVectors.Vector;
import dev.steadytext.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Structured requests: their cache keys, what they enqueue, and the cache serving them. */
class StructuredRequestIT {

    private TestDatabase db;
    private String model;

    @BeforeEach
    void setUp() throws Exception {
        db = Fixture.database();
        Fixture.reset(db);
        model = Fixture.registerModel(db, "generation", "gen-model", true);
    }

    @Test
    void enqueuedKeys_matchTheSharedStructuredVectors() throws Exception {
        List<Vector> vectors = CacheKeyVectors.load().stream()
                .filter(v -> v.kind().equals("generation") && !v.extraParams().isEmpty()).toList();
        assertThat(vectors).hasSizeGreaterThanOrEqualTo(6);
        try (Connection c = db.connect()) {
            for (Vector v : vectors) {
                registerFingerprint(c, v.model());
                Map.Entry<String, String> param = v.extraParams().entrySet().iterator().next();
                String argument = switch (param.getKey()) {
                    case "json_schema" -> "?::jsonb";
                    case "regex" -> "?";
                    default -> "ARRAY(SELECT jsonb_array_elements_text(?::jsonb))";
                };
                String function = Map.of("json_schema", "json", "regex", "regex", "choices", "choice")
                        .get(param.getKey());
                try (PreparedStatement ps = c.prepareStatement("SELECT steadytext_generate_" + function
                        + "_async(?, " + argument + ", max_tokens => ?, seed => ?, model => ?)")) {
                    ps.setString(1, v.input()); // prompt
                    ps.setString(2, param.getValue()); // the constraint argument
                    ps.setInt(3, v.maxTokens()); // max_tokens
                    ps.setInt(4, v.seed()); // seed
                    ps.setString(5, v.model()); // model, by fingerprint
                    try (ResultSet rs = ps.executeQuery(); Statement s = c.createStatement()) {
                        rs.next();
                        assertThat(column(s, "cache_key", "'" + rs.getString(1) + "'::uuid")).as(v.name())
                                .isEqualTo(v.key());
                    }
                }
            }
        }
    }

    @Test
    void schemaKey_ignoresWhitespaceAndKeyOrder_butNotContent() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            String a = key(s, "steadytext_generate_json_async('p', '{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}')");
            String b = key(s, "steadytext_generate_json_async('p', '{ \"properties\" : { \"a\" : {\"type\" : \"string\"} },\n \"type\" : \"object\" }')");
            String other = key(s, "steadytext_generate_json_async('p', '{\"type\":\"object\",\"properties\":{\"b\":{\"type\":\"string\"}}}')");
            String plain = key(s, "steadytext_generate_async('p')");
            String regex = key(s, "steadytext_generate_regex_async('p', 'a')");
            String choice = key(s, "steadytext_generate_choice_async('p', ARRAY['a', 'b'])");
            assertThat(b).isEqualTo(a);
            assertThat(List.of(other, plain, regex, choice)).doesNotContain(a).doesNotHaveDuplicates();
        }
    }

    @Test
    void asyncJob_carriesTheConstraintInParams_withTheDefaultMaxTokens() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            assertThat(column(s, "params::text || ' ' || request_type || ' ' || model_fingerprint",
                    "steadytext_generate_json_async('p', '{\"type\": \"string\",  \"maxLength\": 3}')"))
                    .isEqualTo("{\"seed\": 42, \"eos_string\": \"[EOS]\", \"max_tokens\": 512, "
                            + "\"json_schema\": {\"type\": \"string\", \"maxLength\": 3}} generate " + model);
            assertThat(column(s, "params - 'seed' - 'eos_string'", "steadytext_generate_choice_async('p', ARRAY['b', 'a'], 7)"))
                    .isEqualTo("{\"choices\": [\"b\", \"a\"], \"max_tokens\": 7}");
        }
    }

    @Test
    void cachedResult_isServedBySyncAndAsyncForms_withoutEnqueueing() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            String key = key(s, "steadytext_generate_regex_async('tell', '[0-9]{2}')");
            s.execute("DELETE FROM steadytext_queue");
            s.execute("INSERT INTO steadytext_cache (cache_key, kind, model_fingerprint, prompt, response, response_size)"
                    + " VALUES ('" + key + "', 'generation', '" + model + "', 'tell', '42', 2)");
            try (ResultSet rs = s.executeQuery("SELECT steadytext_generate_regex('tell', '[0-9]{2}'),"
                    + " st_generate_regex('tell', '[0-9]{2}')")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("42");
                assertThat(rs.getString(2)).isEqualTo("42");
            }
            assertThat(StructuredValidationIT.count(s, "SELECT count(*) FROM steadytext_queue")).isZero();
            assertThat(column(s, "status || ' ' || result", "steadytext_generate_regex_async('tell', '[0-9]{2}')"))
                    .as("an async request of a cached result is completed at once").isEqualTo("completed 42");
            assertThat(StructuredValidationIT.count(s,
                    "SELECT count(*) FROM steadytext_cache_access WHERE hit AND cache_key = '" + key + "'")).isEqualTo(2);
        }
    }

    @Test
    void privileges_userFunctionsForEveryone_internalOnesForNobody() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT p.proname, has_function_privilege('public', p.oid, 'EXECUTE')
                FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
                  AND (p.proname LIKE '%generate\\_json%' OR p.proname LIKE '%generate\\_regex%'
                       OR p.proname LIKE '%generate\\_choice%' OR p.proname LIKE '\\_steadytext\\_structured%'
                       OR p.proname IN ('_steadytext_check_json_schema', '_steadytext_check_regex'))
                """)) {
            int count = 0;
            while (rs.next()) {
                count++;
                assertThat(rs.getBoolean(2)).as(rs.getString(1)).isEqualTo(!rs.getString(1).startsWith("_"));
            }
            assertThat(count).isEqualTo(12 + 5);
        }
    }

    private static String key(Statement s, String asyncCall) throws Exception {
        return column(s, "cache_key", asyncCall);
    }

    /** A column of the queue row an async call creates (the call first: see enqueuedKeys_...). */
    private static String column(Statement s, String column, String asyncCall) throws Exception {
        String id;
        try (ResultSet rs = s.executeQuery("SELECT " + asyncCall)) {
            rs.next();
            id = rs.getString(1);
        }
        try (ResultSet rs = s.executeQuery("SELECT " + column + " FROM steadytext_queue WHERE request_id = '" + id + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void registerFingerprint(Connection c, String fingerprint) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO steadytext_models (fingerprint, kind, name, backend, backend_version, model_sha256, settings)
                VALUES (?, 'generation', ?, 'test', '1', ?, '') ON CONFLICT (fingerprint) DO NOTHING
                """)) {
            ps.setString(1, fingerprint); // fingerprint
            ps.setString(2, "m-" + fingerprint.substring(0, 8)); // name
            ps.setString(3, fingerprint); // model_sha256
            ps.executeUpdate();
        }
    }
}
