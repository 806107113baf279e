package dev.steadytext.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.steadytext.platform.SteadyTextPlatform;
import dev.steadytext.testkit.PostgresExtension;
import dev.steadytext.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cache eviction through the real platform: budgets and the policy set in SQL, the SQL functions answered by the
 * leading worker, the policy switched while hits are served, and a policy plug-in dropped into plugins/ and taken
 * out again.
 */
class EvictionIT {

    private static final Duration SOON = Duration.ofSeconds(5);

    @TempDir
    static Path home;

    private static TestDatabase db;
    private static SteadyTextPlatform platform;
    private static Path plugins;

    @BeforeAll
    static void startPlatform() throws Exception {
        db = PostgresExtension.database();
        Path conf = Files.createDirectories(home.resolve("conf"));
        plugins = Files.createDirectories(home.resolve("plugins"));
        // Fast folds; no protection of fresh entries, so that the tests' new entries can be evicted at once.
        Files.writeString(conf.resolve("dev.steadytext.cache.cfg"), "foldMillis=200\nprotectMillis=0\nstandbyMillis=200\n");
        platform = InProcessPlatform.start(InProcessPlatform.options(db, home)
                .configDirectory(conf)
                .pluginsDirectory(plugins)
                .generationModel(Distribution.stories260K())
                .build());
        db.createLoopbackServerIfExternal();
        platform.embedder();
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @BeforeEach
    void resetEvictionSettings() throws Exception {
        Sql.text(db, "SELECT steadytext_cache_clear()");
        for (Map.Entry<String, String> setting : Map.of("cache_eviction_policy", "null", "cache_max_entries", "10000",
                "cache_max_size_mb", "1000", "cache_max_entries_generation", "null", "cache_max_entries_embedding",
                "null").entrySet()) {
            Sql.text(db, "SELECT steadytext_config_set(?, ?)", setting.getKey(), setting.getValue());
        }
        await("arc runs again", () -> "arc".equals(statePolicy()));
    }

    @Test
    void budgetAndPolicy_setInSql_keepTheCacheBounded_andStatsHistoryAndUsageShowIt() throws Exception {
        Sql.text(db, "SELECT steadytext_config_set('cache_eviction_policy', 'lru')");
        Sql.text(db, "SELECT steadytext_config_set('cache_max_entries_embedding', '5')");
        await("lru runs", () -> "lru".equals(statePolicy()));
        for (int i = 0; i < 12; i++) {
            Sql.text(db, "SELECT steadytext_embed(?)", "budget text " + i);
        }

        await("the embeddings are back within 5 entries",
                () -> Sql.number(db, "SELECT count(*) FROM steadytext_cache WHERE kind = 'embedding'") <= 5);
        assertThat(Sql.text(db, "SELECT evictions >= 7 AND max_entries = 5 AND policy = 'lru' "
                + "FROM steadytext_cache_stats() WHERE kind = 'embedding'")).isEqualTo("t");
        assertThat(Sql.text(db, "SELECT string_agg(DISTINCT policy || ' ' || trigger, ',') "
                + "FROM steadytext_eviction_history WHERE kind = 'embedding'")).isEqualTo("lru budget");
        assertThat(Sql.text(db, "SELECT bool_and(entries_after <= 5 AND duration_ms >= 0) "
                + "FROM steadytext_eviction_history WHERE kind = 'embedding'")).isEqualTo("t");
        // The newest texts stay: LRU, and no text was read twice.
        assertThat(Sql.text(db, "SELECT count(*) FROM steadytext_cache WHERE prompt = 'budget text 11'")).isEqualTo("1");
        assertThat(Sql.number(db, "SELECT sum(entry_count) FROM steadytext_cache_analyze_usage()"))
                .isEqualTo(Sql.number(db, "SELECT count(*) FROM steadytext_cache"));
    }

    @Test
    void evictPreviewAndScheduledEviction_areAnsweredByTheLeadingWorker() throws Exception {
        List<String> prompts = generate("A short tale", 6);
        Sql.text(db, "SELECT steadytext_generate(?, 8)", prompts.get(0)); // a hit: the others are older in use
        Sql.text(db, "SELECT steadytext_config_set('cache_eviction_policy', 'lru')");
        await("lru runs", () -> "lru".equals(statePolicy()));

        try (Connection c = db.connect()) {
            List<String> preview = Sql.column(c, "SELECT rank || ' ' || eviction_policy || ' ' || reason "
                    + "FROM steadytext_cache_preview_eviction(3) WHERE kind = 'generation' ORDER BY rank");
            assertThat(preview).containsExactly("1 lru least recently used", "2 lru least recently used",
                    "3 lru least recently used");
        }
        assertThat(Sql.text(db, "SELECT evicted_count || ' ' || remaining_entries || ' ' || eviction_policy "
                + "FROM steadytext_cache_evict(target_entries => 2, policy => 'lfu') WHERE kind = 'generation'"))
                .isEqualTo("4 2 lfu");
        assertThat(Sql.text(db, "SELECT count(*) FROM steadytext_cache WHERE prompt = ?", prompts.get(0)))
                .as("LFU keeps the entry that was hit").isEqualTo("1");
        assertThat(Sql.text(db, "SELECT policy || ' ' || trigger || ' ' || evicted FROM steadytext_eviction_history "
                + "WHERE trigger = 'manual'")).isEqualTo("lfu manual 4");
        assertThat(Sql.text(db, "SELECT steadytext_cache_scheduled_eviction() ->> 'status'")).isEqualTo("completed");
    }

    @Test
    void accessTrace_recordsFoldedAccessesInOrder_andExportsThemForTheSimulatorWithFreshlySaltedKeys() throws Exception {
        Sql.text(db, "WITH emptied AS (DELETE FROM steadytext_cache_trace RETURNING 1) SELECT count(*) FROM emptied");
        Sql.text(db, "SELECT steadytext_config_set('cache_access_trace', 'true')");
        try {
            List<String> prompts = generate("Traced tale", 3); // three misses, then the entries exist
            for (String prompt : List.of(prompts.get(0), prompts.get(1), prompts.get(0))) {
                Sql.text(db, "SELECT steadytext_generate(?, 8)", prompt); // three hits
            }
            await("six accesses folded into the trace",
                    () -> Sql.number(db, "SELECT count(*) FROM steadytext_cache_trace WHERE kind = 'generation'") == 6);
        } finally {
            Sql.text(db, "SELECT steadytext_config_set('cache_access_trace', 'false')");
        }

        try (Connection c = db.connect()) {
            List<String> first = Sql.column(c, "SELECT key_hash || ',' || size_bytes || ',' || compute_millis "
                    + "FROM steadytext_cache_trace_export('generation')");
            List<String> second = Sql.column(c, "SELECT key_hash FROM steadytext_cache_trace_export()");
            assertThat(first).hasSize(6).allMatch(line -> line.matches("[0-9a-f]{16},[1-9][0-9]*,[0-9]+"));
            List<String> keys = first.stream().map(line -> line.substring(0, 16)).toList();
            assertThat(keys.subList(3, 6)).as("the hits, in order: first, second, first")
                    .containsExactly(keys.get(0), keys.get(1), keys.get(0));
            assertThat(second).hasSize(6).doesNotContainAnyElementsOf(keys);
            assertThat(Sql.column(c, "SELECT count(*) FROM steadytext_cache_trace WHERE cache_key IN "
                    + "(SELECT cache_key FROM steadytext_cache)")).containsExactly("6");
        }
        SQLException badKind = catchThrowableOfType(SQLException.class,
                () -> Sql.text(db, "SELECT count(*) FROM steadytext_cache_trace_export('generations')"));
        assertThat(badKind.getSQLState()).isEqualTo("22023");
        assertThat(badKind.getMessage()).contains("kind must be one of");
    }

    @Test
    void policyHotSwap_underLoad_keepsServingEveryHit() throws Exception {
        List<String> prompts = generate("Hot swap", 8);
        Map<String, String> answers = new java.util.HashMap<>();
        for (String prompt : prompts) {
            answers.put(prompt, Sql.text(db, "SELECT steadytext_generate(?, 8)", prompt));
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong hits = new AtomicLong();
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            readers.add(Thread.ofPlatform().start(() -> {
                try (Connection c = db.connect();
                        PreparedStatement generate = c.prepareStatement("SELECT steadytext_generate(?, 8)")) {
                    for (int i = 0; running.get(); i++) {
                        String prompt = prompts.get(i % prompts.size());
                        generate.setString(1, prompt);
                        try (ResultSet row = generate.executeQuery()) {
                            row.next();
                            if (answers.get(prompt).equals(row.getString(1))) {
                                hits.incrementAndGet();
                            } else {
                                problems.add(prompt + " -> " + row.getString(1));
                            }
                        }
                    }
                } catch (SQLException e) {
                    problems.add(e.getSQLState() + " " + e.getMessage());
                }
            }));
        }
        List<String> seen = new ArrayList<>();
        try {
            for (String policy : List.of("lru", "lfu", "frecency", "gdsf", "arc")) {
                long before = hits.get();
                Sql.text(db, "SELECT steadytext_config_set('cache_eviction_policy', ?)", policy);
                await(policy + " runs", () -> policy.equals(statePolicy()));
                seen.add(policy);
                await("hits go on under " + policy, () -> hits.get() > before + 20);
            }
        } finally {
            running.set(false);
            for (Thread reader : readers) {
                reader.join(10_000);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(seen).containsExactly("lru", "lfu", "frecency", "gdsf", "arc");
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_cache WHERE kind = 'generation'")).isEqualTo(8);
    }

    @Test
    void pluginDroppedIntoPlugins_becomesSelectable_andItsRemovalFallsBackToArc() throws Exception {
        Path jar = sievePlugin();
        generate("Plug-in", 3);
        Path part = plugins.resolve("sieve.jar.part");
        Files.copy(jar, part, StandardCopyOption.REPLACE_EXISTING);
        Files.move(part, plugins.resolve("sieve.jar"), StandardCopyOption.ATOMIC_MOVE);

        await("the plug-in's policy is available", () -> "1".equals(Sql.text(db,
                "SELECT count(*) FROM steadytext_eviction_policies WHERE name = 'sieve'")));
        Sql.text(db, "SELECT steadytext_config_set('cache_eviction_policy', 'sieve')");
        await("sieve runs", () -> "sieve".equals(statePolicy()));
        assertThat(Sql.text(db, "SELECT DISTINCT eviction_policy FROM steadytext_cache_preview_eviction(2)"))
                .isEqualTo("sieve");

        Files.delete(plugins.resolve("sieve.jar"));
        await("arc replaces the removed plug-in", () -> "arc".equals(statePolicy()));
        assertThat(Sql.text(db, "SELECT count(*) FROM steadytext_eviction_policies WHERE name = 'sieve'")).isEqualTo("0");
        assertThat(Sql.text(db, "SELECT steadytext_config_get('cache_eviction_policy') #>> '{}'"))
                .as("the choice stays, for when the plug-in comes back").isEqualTo("sieve");
    }

    /** Generates {@code count} short texts (8 tokens of stories260K each) and returns their prompts. */
    private static List<String> generate(String prefix, int count) throws SQLException {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String prompt = prefix + " number " + i;
            Sql.text(db, "SELECT steadytext_generate(?, 8)", prompt);
            prompts.add(prompt);
        }
        return prompts;
    }

    /** The policy the leading worker runs for generations, as it last saved it. */
    private static String statePolicy() throws SQLException {
        return Sql.text(db, "SELECT policy FROM steadytext_eviction_state WHERE kind = 'generation'");
    }

    /** The SIEVE plug-in's jar, which the pom copies next to the distribution (not into it). */
    private static Path sievePlugin() throws Exception {
        Path directory = Distribution.root().getParent().resolve("it-plugins");
        try (Stream<Path> jars = Files.list(directory)) {
            return jars.filter(path -> path.getFileName().toString().startsWith("steadytext-eviction-plugin-sieve"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no SIEVE plug-in jar in " + directory));
        }
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + SOON.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + SOON.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
    }
}
