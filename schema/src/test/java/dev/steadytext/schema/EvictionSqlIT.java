package dev.steadytext.schema;

import static dev.steadytext.schema.SyncRequestIT.awaitClaim;
import static dev.steadytext.schema.SyncRequestIT.floats;
import static dev.steadytext.schema.SyncRequestIT.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.steadytext.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SQL side of eviction (070-eviction.sql) without a worker: argument and config validation, the change feed,
 * budgets, the SQL-only parity evictions, usage analysis, privileges, and the request timeout when no worker leads.
 */
class EvictionSqlIT {

    private TestDatabase db;

    @BeforeEach
    void setUp() throws Exception {
        db = Fixture.database();
        Fixture.reset(db);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE steadytext_cache_changes, steadytext_eviction_state, steadytext_eviction_log, "
                    + "steadytext_eviction_requests, steadytext_eviction_policies");
            s.execute("UPDATE steadytext_cache_counters SET evictions = 0, evicted_bytes = 0");
            s.execute("UPDATE steadytext_config SET value = CASE key WHEN 'cache_max_entries' THEN '10000' "
                    + "WHEN 'cache_max_size_mb' THEN '1000' WHEN 'cache_eviction_enabled' THEN 'true' "
                    + "WHEN 'cache_access_trace' THEN 'false' ELSE 'null' END::jsonb "
                    + "WHERE key LIKE 'cache\\_%'");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            steadytext_cache_evict(-1)                                        | 22023 | target_entries
            steadytext_cache_evict(NULL, -0.5)                                | 22023 | target_size_mb
            steadytext_cache_evict(NULL, 'NaN')                               | 22023 | target_size_mb
            steadytext_cache_evict(policy => 'LRU!')                          | 22023 | policy
            steadytext_cache_evict(policy => '')                              | 22023 | policy
            st_cache_evict(-3)                                                | 22023 | target_entries
            steadytext_cache_preview_eviction(NULL)                           | 22004 | preview_count
            steadytext_cache_preview_eviction(0)                              | 22023 | preview_count
            steadytext_cache_evict_by_age(batch_size => 0)                    | 22023 | batch_size
            steadytext_cache_evict_by_age(batch_size => NULL)                 | 22004 | batch_size
            steadytext_cache_evict_by_age(min_age_hours => -1)                | 22023 | min_age_hours
            steadytext_cache_evict_by_age(target_size_mb => 'Infinity')       | 22023 | target_size_mb
            steadytext_cache_evict_by_frecency(min_access_count => NULL)      | 22004 | min_access_count
            steadytext_cache_evict_by_frecency(-5)                            | 22023 | target_entries
            steadytext_config_set('cache_max_entries', '-1')                  | 22023 | cache_max_entries
            steadytext_config_set('cache_max_entries', '1.5')                 | 22023 | cache_max_entries
            steadytext_config_set('cache_max_entries_embedding', 'lots')      | 22023 | cache_max_entries_embedding
            steadytext_config_set('cache_max_size_mb', 'true')                | 22023 | cache_max_size_mb
            steadytext_config_set('cache_max_size_mb_generation', '-2')       | 22023 | cache_max_size_mb_generation
            steadytext_config_set('cache_eviction_enabled', '1')              | 22023 | cache_eviction_enabled
            steadytext_config_set('cache_eviction_policy', '42')              | 22023 | cache_eviction_policy
            steadytext_config_set('cache_eviction_policy', 'Not A Name')      | 22023 | cache_eviction_policy
            """)
    void badInput_isRejectedNamingTheArgument_andNothingIsRequested(String call, String sqlState, String named)
            throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            SQLException e = catchThrowableOfType(SQLException.class, () -> s.execute("SELECT * FROM " + call));
            assertThat((Throwable) e).as(call).isNotNull();
            assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(sqlState);
            assertThat(e.getMessage()).contains(named);
            assertThat(one(s, "SELECT count(*) FROM steadytext_eviction_requests")).isEqualTo("0");
        }
    }

    @Test
    void unknownPolicy_onceWorkersPublishedTheirs_isRejectedListingTheAvailableOnes() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT steadytext_config_set('cache_eviction_policy', 'sieve')"); // nothing published yet
            s.execute("INSERT INTO steadytext_eviction_policies (name, description) VALUES ('lru', 'l'), ('arc', 'a')");
            for (String call : List.of("steadytext_config_set('cache_eviction_policy', 'sieve')",
                    "steadytext_cache_evict(policy => 'sieve')")) {
                SQLException e = catchThrowableOfType(SQLException.class, () -> s.execute("SELECT * FROM " + call));
                assertThat(e.getSQLState()).as(call).isEqualTo("22023");
                assertThat(e.getMessage()).contains("\"sieve\" is not an available eviction policy; available: arc, lru");
            }
            s.execute("SELECT steadytext_config_set('cache_eviction_policy', 'lru')");
            s.execute("SELECT steadytext_config_set('cache_eviction_policy', 'null')");
            assertThat(one(s, "SELECT coalesce(policy, 'none') FROM _steadytext_eviction_settings() LIMIT 1"))
                    .isEqualTo("none");
        }
    }

    @Test
    void requests_withoutAWorker_timeOutNamingTheRequest_andAreWithdrawn() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SET steadytext.sync_timeout = '200ms'");
            for (String call : List.of("steadytext_cache_evict()", "steadytext_cache_preview_eviction(5)",
                    "steadytext_cache_scheduled_eviction()")) {
                SQLException e = catchThrowableOfType(SQLException.class, () -> s.execute("SELECT * FROM " + call));
                assertThat(e.getSQLState()).as(call).isEqualTo("57014");
                assertThat(e.getMessage()).contains("no worker answered eviction request");
            }
            assertThat(one(s, "SELECT string_agg(action || ':' || status, ',' ORDER BY created_at) "
                    + "FROM steadytext_eviction_requests")).isEqualTo("evict:cancelled,preview:cancelled,evict:cancelled");
            s.execute("SELECT steadytext_config_set('cache_eviction_enabled', 'false')");
            assertThat(one(s, "SELECT steadytext_cache_scheduled_eviction() ->> 'status'")).isEqualTo("skipped");
        }
    }

    @Test
    void budgets_perKindKeysOverrideTheDefaults_nullInheritsAndUnboundedLifts() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            assertThat(budgets(s)).isEqualTo("embedding 10000 1048576000, generation 10000 1048576000, reranking 10000 1048576000");
            s.execute("SELECT steadytext_config_set('cache_max_entries_embedding', '50')");
            s.execute("SELECT steadytext_config_set('cache_max_size_mb_generation', '0.5')");
            assertThat(budgets(s)).isEqualTo("embedding 50 1048576000, generation 10000 524288, reranking 10000 1048576000");
            s.execute("SELECT steadytext_config_set('cache_max_entries', 'unbounded')");
            s.execute("SELECT steadytext_config_set('cache_max_size_mb', 'null')");
            assertThat(budgets(s)).isEqualTo("embedding 50 -, generation - 524288, reranking - -");
            s.execute("SELECT steadytext_config_set('cache_max_entries_embedding', 'null')");
            assertThat(budgets(s)).isEqualTo("embedding - -, generation - 524288, reranking - -");
        }
    }

    private static String budgets(Statement s) throws SQLException {
        return one(s, "SELECT string_agg(kind || ' ' || coalesce(max_entries::text, '-') || ' ' "
                + "|| coalesce(max_bytes::text, '-'), ', ' ORDER BY kind) FROM steadytext_cache_stats()");
    }

    @Test
    void evictByAge_removesTheOldestFirst_keepsYoungEntries_countsAndLogsIt() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            insertEntries(s, "generation", 10);
            // Entries 1-8 are a day old (1 the oldest); 9 and 10 were just made.
            s.execute("UPDATE steadytext_cache SET created_at = now() - interval '1 day' + n * interval '1 minute' "
                    + "FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM steadytext_cache) o "
                    + "WHERE steadytext_cache.id = o.id AND o.n <= 8");
            assertThat(one(s, "SELECT evicted_count || ' ' || remaining_entries || ' ' || (freed_size_mb > 0) "
                    + "FROM steadytext_cache_evict_by_age(target_entries => 4)")).isEqualTo("6 4 true");
            assertThat(one(s, "SELECT string_agg(prompt, ',' ORDER BY id) FROM steadytext_cache"))
                    .isEqualTo("p7,p8,p9,p10");
            assertThat(one(s, "SELECT evictions FROM steadytext_cache_stats() WHERE kind = 'generation'")).isEqualTo("6");
            assertThat(one(s, "SELECT policy || ' ' || trigger || ' ' || evicted || ' ' || entries_before || ' ' "
                    + "|| entries_after FROM steadytext_eviction_history")).isEqualTo("sql:age manual 6 10 4");
            assertThat(one(s, "SELECT count(*) FROM steadytext_cache_changes WHERE change = 'delete'"))
                    .as("the worker's policies learn of SQL evictions").isEqualTo("6");
            // Only young entries are left over the target: nothing more can go.
            assertThat(one(s, "SELECT evicted_count || ' ' || remaining_entries "
                    + "FROM st_cache_evict_by_age(target_entries => 0)")).isEqualTo("2 2");
        }
    }

    @Test
    void evictByFrecency_spareEntriesUsedOftenEnough() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            insertEntries(s, "embedding", 6);
            s.execute("UPDATE steadytext_cache SET created_at = now() - interval '2 days', "
                    + "access_count = CASE WHEN id % 2 = 0 THEN 5 ELSE 1 END");
            assertThat(one(s, "SELECT evicted_count || ' ' || remaining_entries "
                    + "FROM steadytext_cache_evict_by_frecency(target_entries => 0)")).isEqualTo("3 3");
            assertThat(one(s, "SELECT bool_and(access_count = 5) FROM steadytext_cache")).isEqualTo("t");
            assertThat(one(s, "SELECT policy FROM steadytext_eviction_history")).isEqualTo("sql:frecency");
        }
    }

    @Test
    void changeFeed_recordsInsertsDeletesAndTruncates_butNeitherHitsNorTheEvictorsOwnDeletes() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            insertEntries(s, "generation", 3);
            s.execute("INSERT INTO steadytext_cache_access (cache_key, kind, hit) VALUES ('k1', 'generation', true)");
            s.execute("DELETE FROM steadytext_cache WHERE prompt = 'p1'");
            c.setAutoCommit(false);
            s.execute("SELECT set_config('steadytext.evictor', 'leader', true)");
            s.execute("DELETE FROM steadytext_cache WHERE prompt = 'p2'");
            c.commit();
            c.setAutoCommit(true);
            s.execute("TRUNCATE steadytext_cache");
            assertThat(one(s, "SELECT string_agg(change || ':' || coalesce(cache_key, '-') || ':' "
                    + "|| coalesce(size_bytes::text, '-'), ',' ORDER BY id) FROM steadytext_cache_changes"))
                    .isEqualTo("insert:k1:12,insert:k2:12,insert:k3:12,delete:k1:12,clear:-:-");
        }
    }

    @Test
    void analyzeUsage_groupsByKindAgeAndAccesses_andThePercentagesAddUp() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            insertEntries(s, "generation", 4);
            s.execute("UPDATE steadytext_cache SET access_count = 12, created_at = now() - interval '3 days' "
                    + "WHERE prompt IN ('p1', 'p2')");
            assertThat(one(s, "SELECT string_agg(kind || '|' || age_bucket || '|' || access_bucket || '|' || entry_count "
                    + "|| '|' || round(percentage_of_cache), ',') FROM steadytext_cache_analyze_usage()"))
                    .isEqualTo("generation|< 1 hour|never hit|2|50,generation|1 day - 7 days|hit 10-99 times|2|50");
            assertThat(one(s, "SELECT sum(entry_count) FROM st_cache_analyze_usage()")).isEqualTo("4");
        }
    }

    @Test
    void embedBatch_returnsAHitsVector_evenWhenTheEntryIsEvictedWhileTheMissesAreComputed() throws Exception {
        String model = Fixture.registerModel(db, "embedding", "emb-model", true);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Connection c = db.connect(); Connection w = db.connect(); Statement s = w.createStatement()) {
            s.execute("INSERT INTO steadytext_cache (cache_key, kind, model_fingerprint, prompt, embedding, response_size) "
                    + "VALUES (_steadytext_embedding_key('" + model + "', 'cached'), 'embedding', '" + model
                    + "', 'cached', '{1,2,3,4}', 16)");
            Future<List<String>> rows = caller.submit(() -> {
                List<String> out = new ArrayList<>();
                try (PreparedStatement batch = c.prepareStatement("SELECT * FROM steadytext_embed_batch(?)")) {
                    batch.setArray(1, c.createArrayOf("text", new Object[] {"cached", "new"})); // texts
                    try (ResultSet rs = batch.executeQuery()) {
                        while (rs.next()) {
                            out.add(rs.getString(1) + "=" + java.util.Arrays.toString(floats(rs.getArray(2))));
                        }
                    }
                }
                return out;
            });
            FakeWorker worker = new FakeWorker();
            FakeWorker.Claimed job = awaitClaim(worker, w);
            s.execute("DELETE FROM steadytext_cache WHERE prompt = 'cached'"); // evicted while the caller waits
            worker.completeEmbedding(w, job, new float[] {5, 6, 7, 8});
            assertThat(rows.get(10, TimeUnit.SECONDS))
                    .containsExactly("cached=[1.0, 2.0, 3.0, 4.0]", "new=[5.0, 6.0, 7.0, 8.0]");
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void privileges_evictionIsAdminOnly_statisticsPreviewAndUsageAreForEveryone() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String fn : List.of("steadytext_cache_evict(int, float8, text)",
                    "steadytext_cache_evict_by_age(int, float8, int, int)",
                    "steadytext_cache_evict_by_frecency(int, float8, int, int, int)",
                    "steadytext_cache_scheduled_eviction()", "st_cache_evict(int, float8, text)",
                    "_steadytext_eviction_request(text, text, jsonb)")) {
                assertThat(one(s, "SELECT has_function_privilege('public', '" + fn + "', 'EXECUTE')")).as(fn)
                        .isEqualTo("f");
            }
            // The roles exist where the installing role may create them (see 050-roles.sql).
            assertThat(one(s, "SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steadytext_admin') "
                    + "OR has_function_privilege('steadytext_admin', 'steadytext_cache_evict(int, float8, text)', "
                    + "'EXECUTE')")).isEqualTo("t");
            for (String fn : List.of("steadytext_cache_stats()", "steadytext_cache_preview_eviction(int)",
                    "steadytext_cache_analyze_usage()", "st_cache_stats()")) {
                assertThat(one(s, "SELECT has_function_privilege('public', '" + fn + "', 'EXECUTE')")).as(fn)
                        .isEqualTo("t");
            }
            assertThat(one(s, "SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steadytext_user') "
                    + "OR has_table_privilege('steadytext_user', 'steadytext_eviction_history', 'SELECT')"))
                    .isEqualTo("t");
        }
    }

    /** Entries p1..pn of a kind, keys k1..kn, each the size of its prompt plus 10 bytes. */
    private static void insertEntries(Statement s, String kind, int count) throws SQLException {
        s.execute("INSERT INTO steadytext_cache (cache_key, kind, model_fingerprint, prompt, response, embedding, "
                + "response_size) SELECT 'k' || i, '" + kind + "', 'm', 'p' || i, "
                + (kind.equals("generation") ? "'0123456789', NULL" : "NULL, '{1}'") + ", 10 "
                + "FROM generate_series(1, " + count + ") AS i ORDER BY i");
    }
}
