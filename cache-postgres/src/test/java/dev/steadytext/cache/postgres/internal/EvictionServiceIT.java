package dev.steadytext.cache.postgres.internal;

import static dev.steadytext.cache.postgres.internal.CacheDatabase.await;
import static dev.steadytext.cache.postgres.internal.CacheDatabase.cache;
import static dev.steadytext.cache.postgres.internal.CacheDatabase.config;
import static dev.steadytext.cache.postgres.internal.CacheDatabase.configSet;
import static dev.steadytext.cache.postgres.internal.CacheDatabase.execute;
import static dev.steadytext.cache.postgres.internal.CacheDatabase.hit;
import static dev.steadytext.cache.postgres.internal.CacheDatabase.key;
import static dev.steadytext.cache.postgres.internal.CacheDatabase.leadingStore;
import static dev.steadytext.cache.postgres.internal.CacheDatabase.number;
import static dev.steadytext.cache.postgres.internal.CacheDatabase.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.api.eviction.EvictionPolicy;
import dev.steadytext.eviction.internal.ArcPolicy;
import dev.steadytext.eviction.internal.LfuPolicy;
import dev.steadytext.eviction.internal.LruPolicy;
import dev.steadytext.testkit.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The eviction service against a real PostgreSQL, with the real policies of eviction-strategies, driven as SQL
 * callers and workers drive it: entries inserted as a worker completes jobs, hits through steadytext_generate,
 * settings through steadytext_config_set.
 */
class EvictionServiceIT {

    private static final Duration SOON = Duration.ofSeconds(5);

    private TestDatabase db;
    private final List<PostgresCacheStore> stores = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        db = CacheDatabase.fresh();
    }

    @AfterEach
    void tearDown() {
        stores.forEach(PostgresCacheStore::deactivate);
    }

    private PostgresCacheStore start(PostgresCacheStore.Config config, EvictionPolicy... policies) throws Exception {
        PostgresCacheStore store = leadingStore(db, config, policies);
        stores.add(store);
        return store;
    }

    @Test
    void budget_isKeptContinuously_evictingThePolicysVictims_andEachRoundIsLogged() throws Exception {
        configSet(db, "cache_eviction_policy", "lru");
        configSet(db, "cache_max_entries_generation", "20");
        start(config("", 100, 0), new LruPolicy(), new ArcPolicy());
        List<String> prompts = cache(db, "budget", 50);

        await("the generation cache is back within 20 entries", SOON,
                () -> number(db, "SELECT count(*) FROM steadytext_cache") <= 20);

        // LRU with no hits: the first 30 inserted are the least recently used.
        assertThat(remainingPrompts()).containsExactlyInAnyOrderElementsOf(prompts.subList(30, 50));
        assertThat(text(db, "SELECT policy || ' ' || trigger || ' ' || sum(evicted) || ' ' || min(entries_before) "
                + "|| ' ' || min(entries_after) FROM steadytext_eviction_history GROUP BY policy, trigger"))
                .isEqualTo("lru budget 30 50 20");
        assertThat(text(db, "SELECT evictions || ' ' || (evicted_bytes > 0) || ' ' || max_entries || ' ' || policy "
                + "FROM steadytext_cache_stats() WHERE kind = 'generation'")).isEqualTo("30 true 20 lru");
    }

    @Test
    void lru_evictsTheEntryUsedLongestAgo_whereLfuKeepsTheOneUsedMostOften() throws Exception {
        assertThat(evictedAfterTheSameAccesses("lru")).as("LRU's victim").isEqualTo("access 0");
        assertThat(evictedAfterTheSameAccesses("lfu")).as("LFU's victim").isNotEqualTo("access 0");
    }

    /** Entry 0 is hit five times, then entries 1-9 once each; a budget of 9 then evicts one entry: which? */
    private String evictedAfterTheSameAccesses(String policy) throws Exception {
        db = CacheDatabase.fresh();
        configSet(db, "cache_eviction_policy", policy);
        PostgresCacheStore store = start(config("", 100, 0), new LruPolicy(), new LfuPolicy());
        List<String> prompts = cache(db, "access", 10);
        for (int i = 0; i < 5; i++) {
            hit(db, prompts.get(0));
        }
        for (String prompt : prompts.subList(1, 10)) {
            hit(db, prompt);
        }
        store.foldAccessLog();
        configSet(db, "cache_max_entries_generation", "9");
        await("one entry is evicted", SOON, () -> number(db, "SELECT count(*) FROM steadytext_cache") == 9);
        List<String> gone = new ArrayList<>(prompts);
        gone.removeAll(remainingPrompts());
        store.deactivate();
        stores.remove(store);
        return gone.get(0);
    }

    @Test
    void restart_resumesWhatArcLearned_fromTheSavedState() throws Exception {
        assertThat(listOfReinsertedEvictedEntry(true)).as("a ghost hit: ARC remembers the evicted entry").isEqualTo("T2");
    }

    @Test
    void restart_withoutSavedState_startsFromTheCacheAndForgetsTheGhosts() throws Exception {
        assertThat(listOfReinsertedEvictedEntry(false)).as("without the saved state the ghost is gone").isEqualTo("T1");
    }

    /**
     * ARC evicts x into its ghost list B1; the worker restarts; x is computed again. With ARC's state kept, the
     * re-inserted x is a ghost hit and goes to T2; a tracker rebuilt from the cache has no ghosts and puts x in T1.
     */
    private String listOfReinsertedEvictedEntry(boolean keepState) throws Exception {
        configSet(db, "cache_eviction_policy", "arc");
        configSet(db, "cache_max_entries_generation", "3");
        PostgresCacheStore first = start(config("", 100, 0), new ArcPolicy());
        String x = cache(db, "ghost x", 1).get(0);
        await("x is tracked", SOON, () -> !meta(x).isEmpty());
        cache(db, "ghost other", 3);
        await("x is evicted", SOON, () -> text(db, "SELECT 1 FROM steadytext_cache WHERE prompt = ?", x) == null);
        first.deactivate();
        stores.remove(first);
        assertThat(number(db, "SELECT count(*) FROM steadytext_eviction_state WHERE policy = 'arc'"))
                .as("one saved tracker per cache kind").isEqualTo(number(db, "SELECT count(*) FROM steadytext_cache_counters"));
        if (!keepState) {
            execute(db, "DELETE FROM steadytext_eviction_state");
        }

        start(config("", 100, 0), new ArcPolicy());
        cache(db, "ghost x", 1); // computed again, after a miss
        await("x is described", SOON, () -> !meta(x).isEmpty());
        return meta(x);
    }

    @Test
    void hitsDuringEviction_alwaysReturnTheWholeEntryOrMiss() throws Exception {
        configSet(db, "cache_eviction_policy", "lru");
        start(config("", 100, 0), new LruPolicy());
        List<String> prompts = cache(db, "concurrent", 2_000);
        Readers readers = Readers.start(db, prompts, 4);
        try {
            Thread.sleep(300);
            configSet(db, "cache_max_entries_generation", "100");
            await("the cache shrinks to 100 entries", Duration.ofSeconds(15),
                    () -> number(db, "SELECT count(*) FROM steadytext_cache") <= 100);
            Thread.sleep(200);
        } finally {
            readers.stop();
        }
        assertThat(readers.wrong()).as("answers that were not the whole cached entry").isEmpty();
        assertThat(readers.hits()).as("hits served while evicting").isGreaterThan(0);
        assertThat(readers.misses()).as("reads of evicted entries, which must miss cleanly").isGreaterThan(0);
        assertThat(number(db, "SELECT sum(evicted) FROM steadytext_eviction_log")).isEqualTo(1_900);
    }

    @Test
    void fold_makesAccessCountLastAccessedAndPolicyMetaVisibleWithinTwoSeconds() throws Exception {
        configSet(db, "cache_eviction_policy", "lfu");
        start(config("", 1_000, 5_000), new LfuPolicy());
        String prompt = cache(db, "visible", 1).get(0);
        Thread.sleep(1_100); // the insert is folded; now the hits
        long start = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            hit(db, prompt);
        }

        await("the hits are folded", Duration.ofSeconds(2),
                () -> number(db, "SELECT access_count FROM steadytext_cache WHERE prompt = ?", prompt) == 3);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(millis).isLessThan(2_000);
        assertThat(text(db, "SELECT policy_meta FROM steadytext_cache WHERE prompt = ?", prompt)).isEqualTo("count=4.00");
        assertThat(text(db, "SELECT last_accessed > created_at FROM steadytext_cache WHERE prompt = ?", prompt))
                .isEqualTo("t");
        assertThat(text(db, "SELECT hits FROM steadytext_cache_counters WHERE kind = 'generation'")).isEqualTo("3");
    }

    @Test
    void sampledHit_ofWeightN_isFoldedAsNHits_intoCountsPolicyAndTrace() throws Exception {
        configSet(db, "cache_eviction_policy", "lfu");
        configSet(db, "cache_access_trace", "true");
        start(config("", 200, 5_000), new LfuPolicy());
        String prompt = cache(db, "sampled", 1).get(0);
        String key = key(db, prompt);
        await("the insert is folded", SOON, () -> number(db, "SELECT count(*) FROM steadytext_cache_changes") == 0);

        // What steadytext_generate logs for a hot entry with cache_hot_hit_sampling = 5: one row standing for five.
        execute(db, "INSERT INTO steadytext_cache_access (cache_key, kind, hit, weight) VALUES ('" + key
                + "', 'generation', true, 5)");

        await("the hit is folded", SOON,
                () -> number(db, "SELECT access_count FROM steadytext_cache WHERE cache_key = ?", key) == 5);
        assertThat(number(db, "SELECT hits FROM steadytext_cache_counters WHERE kind = 'generation'")).isEqualTo(5);
        assertThat(text(db, "SELECT policy_meta FROM steadytext_cache WHERE cache_key = ?", key)).isEqualTo("count=6.00");
        assertThat(number(db, "SELECT count(*) FROM steadytext_cache_trace WHERE hit AND cache_key = ?", key))
                .isEqualTo(5);
    }

    @Test
    void oneWorkerLeads_andAnotherTakesOverWhenItStops() throws Exception {
        PostgresCacheStore one = start(config("lru", 100, 0), new LruPolicy());
        PostgresCacheStore two = new PostgresCacheStore(db.dataSource(), config("lru", 100, 0), null);
        stores.add(two);
        two.addPolicy(new LruPolicy(), Map.of(EvictionPolicy.NAME_PROPERTY, "lru"));
        Thread.sleep(500);
        assertThat(two.leading()).as("a second worker stands by").isFalse();
        assertThat(two.foldAccessLog()).as("a stand-by never consumes the access log").isZero();

        one.deactivate();
        stores.remove(one);
        await("the stand-by takes over", SOON, two::leading);
        String prompt = cache(db, "takeover", 1).get(0);
        hit(db, prompt);
        await("the new leader folds", SOON,
                () -> number(db, "SELECT access_count FROM steadytext_cache WHERE prompt = ?", prompt) == 1);
    }

    @Test
    void policyChangeInSql_switchesAtTheNextFold_rebuildingFromTheCache() throws Exception {
        configSet(db, "cache_eviction_policy", "lru");
        start(config("", 100, 0), new LruPolicy(), new ArcPolicy());
        String prompt = cache(db, "switch", 5).get(0);
        hit(db, prompt);
        await("lru describes the entry", SOON, () -> meta(prompt).startsWith("idle"));

        configSet(db, "cache_eviction_policy", "arc");
        await("arc runs", SOON, () -> "arc".equals(text(db,
                "SELECT string_agg(DISTINCT policy, ',') FROM steadytext_eviction_state")));
        hit(db, prompt);

        await("arc describes the entry: it was hit before, so it is in T2", SOON, () -> meta(prompt).equals("T2"));
        assertThat(number(db, "SELECT entries FROM steadytext_eviction_state WHERE kind = 'generation'")).isEqualTo(5);
    }

    @Test
    void selectedPolicyDisappearing_fallsBackToArc_andReappearingIsSelectedAgain() throws Exception {
        configSet(db, "cache_eviction_policy", FifoTestPolicy.NAME);
        FifoTestPolicy plugin = new FifoTestPolicy();
        PostgresCacheStore store = start(config("", 100, 0), new ArcPolicy(), plugin);
        cache(db, "plugin", 3);
        await("the plug-in runs", SOON, () -> statePolicies().equals(FifoTestPolicy.NAME));
        assertThat(text(db, "SELECT string_agg(name, ',' ORDER BY name) FROM steadytext_eviction_policies"))
                .isEqualTo("arc," + FifoTestPolicy.NAME);

        store.removePolicy(plugin);
        await("arc replaces it", SOON, () -> statePolicies().equals("arc"));
        assertThat(text(db, "SELECT string_agg(name, ',') FROM steadytext_eviction_policies")).isEqualTo("arc");

        store.addPolicy(plugin, Map.of(EvictionPolicy.NAME_PROPERTY, FifoTestPolicy.NAME));
        await("the plug-in runs again", SOON, () -> statePolicies().equals(FifoTestPolicy.NAME));
    }

    @Test
    void fileConfiguration_choosesThePolicy_whenSqlLeavesItNull() throws Exception {
        start(config(FifoTestPolicy.NAME, 100, 0), new ArcPolicy(), new FifoTestPolicy());
        cache(db, "file", 2);
        await("the file's policy runs", SOON, () -> statePolicies().equals(FifoTestPolicy.NAME));

        configSet(db, "cache_eviction_policy", "arc");
        await("SQL's choice wins", SOON, () -> statePolicies().equals("arc"));
    }

    @Test
    void deletesAndTruncatesByOthers_reachTheTrackers() throws Exception {
        configSet(db, "cache_eviction_policy", FifoTestPolicy.NAME);
        start(config("", 100, 0), new FifoTestPolicy());
        cache(db, "others", 6);
        await("6 entries tracked", SOON, () -> trackedEntries() == 6);

        execute(db, "DELETE FROM steadytext_cache WHERE prompt IN ('others 0', 'others 1')");
        await("the deletes are tracked", SOON, () -> trackedEntries() == 4);
        assertThat(text(db, "SELECT steadytext_cache_clear('generation')")).isEqualTo("4");
        await("the clear is tracked", SOON, () -> trackedEntries() == 0);
        cache(db, "others again", 2);
        execute(db, "TRUNCATE steadytext_cache");
        await("the truncate is tracked", SOON, () -> trackedEntries() == 0
                && number(db, "SELECT count(*) FROM steadytext_cache_changes") == 0);
    }

    @Test
    void sqlEvictAndPreview_areAnsweredByTheLeader() throws Exception {
        configSet(db, "cache_eviction_policy", "lru");
        start(config("", 100, 0), new LruPolicy(), new LfuPolicy(), new ArcPolicy());
        List<String> prompts = cache(db, "request", 10);
        hit(db, prompts.get(0)); // LRU keeps 0 longest; LFU evicts it last too

        assertThat(text(db, "SELECT string_agg(rank || ':' || prompt || ':' || reason, ',' ORDER BY rank) "
                + "FROM steadytext_cache_preview_eviction(3)"))
                .isEqualTo("1:request 1:least recently used,2:request 2:least recently used,"
                        + "3:request 3:least recently used");
        assertThat(text(db, "SELECT evicted_count || ' ' || remaining_entries || ' ' || eviction_policy || ' ' || kind "
                + "FROM steadytext_cache_evict(target_entries => 4, policy => 'lfu') WHERE kind = 'generation'"))
                .isEqualTo("6 4 lfu generation");
        assertThat(text(db, "SELECT 1 FROM steadytext_cache WHERE prompt = ?", prompts.get(0))).isEqualTo("1");
        assertThat(text(db, "SELECT policy || ' ' || trigger || ' ' || evicted || ' ' || (request_id IS NOT NULL) "
                + "FROM steadytext_eviction_history")).isEqualTo("lfu manual 6 true");
        assertThat(text(db, "SELECT steadytext_cache_scheduled_eviction() ->> 'status'")).isEqualTo("completed");
        assertThat(number(db, "SELECT count(*) FROM steadytext_eviction_requests WHERE status = 'done'")).isEqualTo(3);
    }

    private String statePolicies() throws Exception {
        String policies = text(db, "SELECT string_agg(DISTINCT policy, ',') FROM steadytext_eviction_state");
        return policies == null ? "" : policies;
    }

    private long trackedEntries() throws Exception {
        String entries = text(db, "SELECT entries FROM steadytext_eviction_state WHERE kind = 'generation'");
        return entries == null ? -1 : Long.parseLong(entries);
    }

    /** The entry's policy_meta, "" while it has none (or is gone). */
    private String meta(String prompt) throws Exception {
        String meta = text(db, "SELECT policy_meta FROM steadytext_cache WHERE prompt = ?", prompt);
        return meta == null ? "" : meta;
    }

    private List<String> remainingPrompts() throws Exception {
        String prompts = text(db, "SELECT string_agg(prompt, '|') FROM steadytext_cache");
        return prompts == null ? List.of() : List.of(prompts.split("\\|"));
    }
}
