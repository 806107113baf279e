package dev.steadytext.schema;

import static dev.steadytext.schema.SyncRequestIT.floats;
import static dev.steadytext.schema.SyncRequestIT.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.steadytext.api.cache.CacheKey;
import dev.steadytext.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache-hit path runs with the caller's rights (SECURITY INVOKER, no SET clause) and hands everything else to
 * SECURITY DEFINER functions: a role that holds nothing but what PUBLIC gets must still hit and miss, and must not
 * be able to change the cache or read the queue.
 */
class HitPathIT {

    private TestDatabase db;
    private String genModel;
    private String embModel;

    @BeforeEach
    void setUp() throws Exception {
        db = Fixture.database();
        Fixture.reset(db);
        genModel = Fixture.registerModel(db, "generation", "gen-model", true);
        embModel = Fixture.registerModel(db, "embedding", "emb-model", true);
    }

    /** The settings these tests change are the database's: the next test class must find the defaults. */
    @AfterEach
    void restoreSettings() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT steadytext_config_set('cache_hot_hit_sampling', '16')");
            s.execute("SELECT steadytext_config_set('cache_access_trace', 'false')");
        }
    }

    @Test
    void roleWithOnlyPublicRights_hitsAndMisses_butCannotChangeTheCacheOrReadTheQueue() throws Exception {
        String role = Fixture.randomName("st_caller_");
        try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'caller-pw' NOSUPERUSER NOCREATEROLE NOINHERIT");
            cacheAnswer(s, "cachéd prompt ✓", "from the cache");
            cache(s, CacheKey.forEmbedding(embModel, "cachéd text ✓"), "embedding", embModel, "cachéd text ✓", "NULL",
                    "'{1,2,3,4}'");
            // Hot entries, whose hits are logged with an explicit weight (here 1: every one), which the role may
            // write too.
            s.execute("UPDATE steadytext_cache SET access_count = 1000, last_accessed = now() + interval '1 minute'");
            s.execute("SELECT steadytext_config_set('cache_hot_hit_sampling', '1')");
        }
        try (AutoCloseable worker = FakeWorker.running(db);
                Connection c = DriverManager.getConnection(db.jdbcUrl(), role, "caller-pw");
                Statement s = c.createStatement()) {
            assertThat(one(s, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).isEqualTo("f");
            // No search path of ours: every name inside the functions is qualified.
            s.execute("SET search_path = ''");
            // The first call of a session reads the config through the slow path; the later ones are the hit path.
            for (int i = 0; i < 3; i++) {
                assertThat(one(s, "SELECT public.steadytext_generate('cachéd prompt ✓')")).isEqualTo("from the cache");
                assertThat(one(s, "SELECT public.steadytext_embed('cachéd text ✓')::text")).isEqualTo("{1,2,3,4}");
            }
            assertThat(one(s, "SELECT string_agg(text || '=' || embedding::text, ' ' ORDER BY text) "
                    + "FROM public.steadytext_embed_batch(ARRAY['cachéd text ✓', 'cachéd text ✓'])"))
                    .isEqualTo("cachéd text ✓={1,2,3,4} cachéd text ✓={1,2,3,4}");
            assertThat(one(s, "SELECT public.steadytext_generate('a new prompt')"))
                    .isEqualTo(FakeWorker.answer("a new prompt"));
            assertThat(one(s, "SELECT public.steadytext_generate('a new prompt')"))
                    .isEqualTo(FakeWorker.answer("a new prompt"));
            assertThat(floats(array(c, "SELECT public.steadytext_embed('a new text')")))
                    .containsExactly(FakeWorker.vector("a new text"));

            // What the hit path's grants do not allow.
            assertDenied(s, "UPDATE public.steadytext_cache SET response = 'forged'");
            assertDenied(s, "DELETE FROM public.steadytext_cache");
            assertDenied(s, "INSERT INTO public.steadytext_cache (cache_key, kind, model_fingerprint, prompt, response, "
                    + "response_size) VALUES ('k', 'generation', 'm', 'p', 'r', 1)");
            assertDenied(s, "SELECT count(*) FROM public.steadytext_queue");
            assertDenied(s, "SELECT count(*) FROM public.steadytext_cache_access");
            assertDenied(s, "INSERT INTO public.steadytext_cache_access (cache_key, kind, hit, accessed_at) "
                    + "VALUES ('k', 'generation', true, now() + interval '1 year')");
            assertDenied(s, "SELECT count(*) FROM public.steadytext_config");
            assertDenied(s, "SELECT * FROM public._steadytext_submit('[]')");
            assertDenied(s, "SELECT public.steadytext_cache_clear()");
        } finally {
            try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
                s.execute("DROP OWNED BY " + role + " CASCADE");
                s.execute("DROP ROLE " + role);
            }
        }
        try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
            // 3 + 3 single hits, 2 batch hits, then a miss and a hit for each new input.
            assertThat(one(s, "SELECT count(*) FILTER (WHERE hit) || '/' || count(*) FILTER (WHERE NOT hit) "
                    + "FROM steadytext_cache_access")).isEqualTo("9/2");
            assertThat(one(s, "SELECT string_agg(DISTINCT requester, ',') FROM steadytext_queue")).isEqualTo(role);
            assertThat(one(s, "SELECT response FROM steadytext_cache WHERE prompt = 'cachéd prompt ✓'"))
                    .isEqualTo("from the cache");
        }
    }

    @Test
    void whenTheDefaultModelChanges_theNextCallKeysWithTheNewModel_evenInASessionThatJustHit() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            cacheAnswer(s, "which model?", "the old model");
            for (int i = 0; i < 3; i++) {
                assertThat(one(s, "SELECT steadytext_generate('which model?')")).isEqualTo("the old model");
            }
            // A worker starts with another model as the default (the session settings are still fresh).
            s.execute("UPDATE steadytext_models SET is_default = false");
            String newModel = Fixture.registerModel(db, "generation", "new-model", true);
            try (AutoCloseable worker = FakeWorker.running(db)) {
                assertThat(one(s, "SELECT steadytext_generate('which model?')"))
                        .isEqualTo(FakeWorker.answer("which model?"));
            }
            assertThat(one(s, "SELECT model_fingerprint FROM steadytext_queue")).isEqualTo(newModel);
            // The old model's entry is still there, and the new model's is now served.
            assertThat(one(s, "SELECT steadytext_generate('which model?')")).isEqualTo(FakeWorker.answer("which model?"));
            assertThat(one(s, "SELECT steadytext_generate('which model?', model => 'gen-model')"))
                    .isEqualTo("the old model");
        }
    }

    @Test
    void hotEntry_hasOneHitInNLogged_withWeightN_whileEveryHitOfAColdEntryIsLogged_orOfATracedOne() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT steadytext_config_set('cache_hot_hit_sampling', '4')");
            cacheAnswer(s, "hot prompt", "hot answer");
            cache(s, CacheKey.forEmbedding(embModel, "hot text"), "embedding", embModel, "hot text", "NULL",
                    "'{1,2,3,4}'");
            cacheAnswer(s, "cold prompt", "cold answer");
            // Hot as the worker's fold leaves a busy entry: 64 hits or more, the last one recent (here a minute
            // ahead, so that it stays recent however slow the machine).
            s.execute("UPDATE steadytext_cache SET access_count = 1000, last_accessed = now() + interval '1 minute' "
                    + "WHERE prompt LIKE 'hot %'");
            for (int i = 0; i < 400; i++) {
                assertThat(one(s, "SELECT steadytext_generate('hot prompt')")).isEqualTo("hot answer");
                assertThat(one(s, "SELECT steadytext_embed('hot text')::text")).isEqualTo("{1,2,3,4}");
            }
            for (int i = 0; i < 20; i++) {
                assertThat(one(s, "SELECT steadytext_generate('cold prompt')")).isEqualTo("cold answer");
            }

            // Each hot hit is logged with probability 1/4 (100 of 400 expected, 5.8 standard deviations either
            // side allowed), with weight 4. The few calls that refreshed the session settings went the slow way,
            // which logs every hit as it is.
            String weights = "SELECT string_agg(DISTINCT x.weight::text, ',') FROM steadytext_cache_access x "
                    + "JOIN steadytext_cache c USING (cache_key) WHERE c.prompt = '%s' AND x.weight %s";
            for (String hot : new String[] {"hot prompt", "hot text"}) {
                long sampled = Long.parseLong(one(s, "SELECT count(*) FROM steadytext_cache_access x "
                        + "JOIN steadytext_cache c USING (cache_key) WHERE c.prompt = '" + hot + "' AND x.weight = 4"));
                assertThat(sampled).as(hot).isBetween(50L, 150L);
                assertThat(one(s, weights.formatted(hot, "<> 4"))).as(hot).isIn("1", null);
            }
            assertThat(one(s, "SELECT count(*) || ' x ' || string_agg(DISTINCT x.weight::text, ',') "
                    + "FROM steadytext_cache_access x JOIN steadytext_cache c USING (cache_key) "
                    + "WHERE c.prompt = 'cold prompt'")).isEqualTo("20 x 1");
            // The statistics count a logged row as the hits it stands for.
            assertThat(one(s, "SELECT hits = (SELECT sum(weight) FROM steadytext_cache_access WHERE kind = "
                    + "'generation') FROM steadytext_cache_stats() WHERE kind = 'generation'")).isEqualTo("t");

            // 1: every hit is logged, hot or not.
            s.execute("SELECT steadytext_config_set('cache_hot_hit_sampling', '1')");
            assertThat(loggedAfter50HotHits(s)).isEqualTo("50 x 1");

            // A trace being recorded for the simulator gets every hit, whatever the sampling.
            s.execute("SELECT steadytext_config_set('cache_hot_hit_sampling', '4')");
            s.execute("SELECT steadytext_config_set('cache_access_trace', 'true')");
            assertThat(loggedAfter50HotHits(s)).isEqualTo("50 x 1");
        }
    }

    @Test
    void inALongTransaction_anEntryLastHitMoreThanTwoSecondsAgo_isCold_andEveryHitIsLogged() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT steadytext_config_set('cache_hot_hit_sampling', '4')");
            cacheAnswer(s, "old prompt", "old answer");
            c.setAutoCommit(false);
            s.execute("SELECT pg_sleep(2.5)");
            // Busy once, last hit 2.2 s ago by the clock, yet after this transaction began.
            s.execute("UPDATE steadytext_cache SET access_count = 1000, "
                    + "last_accessed = clock_timestamp() - interval '2.2 seconds' WHERE prompt = 'old prompt'");
            for (int i = 0; i < 20; i++) {
                assertThat(one(s, "SELECT steadytext_generate('old prompt')")).isEqualTo("old answer");
            }
            assertThat(one(s, "SELECT count(*) || ' x ' || string_agg(DISTINCT weight::text, ',') "
                    + "FROM steadytext_cache_access")).isEqualTo("20 x 1");
            c.commit();
        }
    }

    /** The access-log rows 50 hits of 'hot prompt' leave, as "count x weights". */
    private static String loggedAfter50HotHits(Statement s) throws SQLException {
        s.execute("TRUNCATE steadytext_cache_access");
        for (int i = 0; i < 50; i++) {
            assertThat(one(s, "SELECT steadytext_generate('hot prompt')")).isEqualTo("hot answer");
        }
        return one(s, "SELECT count(*) || ' x ' || string_agg(DISTINCT weight::text, ',') FROM steadytext_cache_access");
    }

    /** Caches an answer of the default generation model (gen-model) for the prompt, as steadytext_generate keys it. */
    private void cacheAnswer(Statement s, String prompt, String answer) throws SQLException {
        cache(s, CacheKey.forGeneration(genModel, 512, 42, "[EOS]", prompt), "generation", genModel, prompt,
                "'" + answer + "'", "NULL");
    }

    private static void cache(Statement s, String key, String kind, String model, String prompt, String response,
            String embedding) throws SQLException {
        s.execute("INSERT INTO steadytext_cache (cache_key, kind, model_fingerprint, prompt, response, embedding, "
                + "response_size) VALUES ('" + key + "', '" + kind + "', '" + model + "', '" + prompt + "', "
                + response + ", " + embedding + ", 16)");
    }

    private static java.sql.Array array(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getArray(1);
        }
    }

    private static void assertDenied(Statement s, String sql) {
        SQLException e = catchThrowableOfType(SQLException.class, () -> s.execute(sql));
        assertThat((Throwable) e).as(sql).isNotNull();
        assertThat(e.getSQLState()).as(sql + ": " + e.getMessage()).isEqualTo("42501");
    }
}
