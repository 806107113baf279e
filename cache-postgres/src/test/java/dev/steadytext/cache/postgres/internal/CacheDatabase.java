package dev.steadytext.cache.postgres.internal;

import static org.assertj.core.api.Assertions.fail;

import dev.steadytext.api.eviction.EvictionPolicy;
import dev.steadytext.schema.SchemaMigrator;
import dev.steadytext.testkit.PostgresExtension;
import dev.steadytext.testkit.TestDatabase;
import java.lang.annotation.Annotation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The test database with the schema installed, a fake default generation model, and ways to fill the cache and hit
 * it through SQL as callers do.
 */
final class CacheDatabase {

    static final String MODEL = "a".repeat(64);
    /** max_tokens of every cached entry: steadytext_generate(prompt, 16) hits them. */
    static final int MAX_TOKENS = 16;

    private CacheDatabase() {
    }

    /** The database, emptied: no cache entries, no eviction state or history, the eviction settings reset. */
    static TestDatabase fresh() throws Exception {
        TestDatabase db = PostgresExtension.database();
        db.once("steadytext-schema", connection -> SchemaMigrator.migrate(connection, "public", System.out::println));
        db.truncateSteadytext("public");
        execute(db, "TRUNCATE steadytext_cache_changes, steadytext_eviction_state, steadytext_eviction_log, "
                + "steadytext_eviction_requests, steadytext_eviction_policies, steadytext_cache_trace");
        execute(db, "UPDATE steadytext_cache_counters SET evictions = 0, evicted_bytes = 0");
        execute(db, "UPDATE steadytext_config SET value = CASE key WHEN 'cache_max_entries' THEN '10000' "
                + "WHEN 'cache_max_size_mb' THEN '1000' WHEN 'cache_eviction_enabled' THEN 'true' "
                + "WHEN 'cache_access_trace' THEN 'false' ELSE 'null' END::jsonb "
                + "WHERE key LIKE 'cache\\_%'");
        try (Connection c = db.connect(); PreparedStatement insert = c.prepareStatement("""
                INSERT INTO steadytext_models (fingerprint, kind, name, backend, backend_version, model_sha256, settings,
                                               dimension, is_default)
                VALUES (?, 'generation', 'test-generator', 'test', '1', ?, '', 0, true)
                """)) {
            insert.setString(1, MODEL); // fingerprint
            insert.setString(2, MODEL); // model_sha256
            insert.executeUpdate();
        }
        return db;
    }

    /** The service's configuration, with the given settings and one-second checkpoints. */
    static PostgresCacheStore.Config config(String filePolicy, long foldMillis, long protectMillis) {
        return new PostgresCacheStore.Config() {
            @Override
            public String evictionPolicy() {
                return filePolicy;
            }

            @Override
            public long foldMillis() {
                return foldMillis;
            }

            @Override
            public long checkpointMillis() {
                return 1_000;
            }

            @Override
            public long standbyMillis() {
                return 200;
            }

            @Override
            public int evictionBatchSize() {
                return 500;
            }

            @Override
            public long protectMillis() {
                return protectMillis;
            }

            @Override
            public long roundMillis() {
                return 1_000;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return PostgresCacheStore.Config.class;
            }
        };
    }

    /** A store with these policies registered, once it leads (the only one running). */
    static PostgresCacheStore leadingStore(TestDatabase db, PostgresCacheStore.Config config, EvictionPolicy... policies)
            throws Exception {
        PostgresCacheStore store = new PostgresCacheStore(db.dataSource(), config, null);
        for (EvictionPolicy policy : policies) {
            store.addPolicy(policy, Map.of(EvictionPolicy.NAME_PROPERTY, policy.name()));
        }
        await("the store leads eviction", Duration.ofSeconds(10), store::leading);
        return store;
    }

    /**
     * Caches one generation per prompt, keyed as steadytext_generate(prompt, 16) keys it, in one INSERT (as a worker
     * completes a batch); the response is the prompt repeated, so a reader can tell a whole answer.
     */
    static List<String> cache(TestDatabase db, String prefix, int count) throws SQLException {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            prompts.add(prefix + " " + i);
        }
        try (Connection c = db.connect(); PreparedStatement insert = c.prepareStatement("""
                INSERT INTO steadytext_cache (cache_key, kind, model_fingerprint, prompt, response, response_size,
                                              generation_time_ms, seed, eos_string)
                SELECT steadytext_cache_key(p.prompt, ?), 'generation', ?, p.prompt, repeat(p.prompt || ' ', 20),
                       octet_length(repeat(p.prompt || ' ', 20)), 100, 42, '[EOS]'
                  FROM unnest(?::text[]) WITH ORDINALITY AS p(prompt, o)
                 ORDER BY p.o
                """)) {
            insert.setInt(1, MAX_TOKENS); // max_tokens of the key
            insert.setString(2, MODEL); // model_fingerprint
            insert.setArray(3, c.createArrayOf("text", prompts.toArray())); // prompts
            insert.executeUpdate();
        }
        return prompts;
    }

    /** What {@link #cache} stores for a prompt. */
    static String answer(String prompt) {
        return (prompt + " ").repeat(20);
    }

    static String key(TestDatabase db, String prompt) throws SQLException {
        return text(db, "SELECT steadytext_cache_key(?, " + MAX_TOKENS + ")", prompt);
    }

    /** A cache hit through the SQL API, as a caller makes it. */
    static void hit(TestDatabase db, String prompt) throws SQLException {
        String answer = text(db, "SELECT steadytext_generate(?, " + MAX_TOKENS + ")", prompt);
        if (!answer(prompt).equals(answer)) {
            fail("not a hit for " + prompt + ": " + answer);
        }
    }

    static void configSet(TestDatabase db, String key, String value) throws SQLException {
        text(db, "SELECT steadytext_config_set(?, ?)", key, value);
    }

    static String text(TestDatabase db, String sql, Object... parameters) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement query = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    static long number(TestDatabase db, String sql, Object... parameters) throws SQLException {
        return Long.parseLong(text(db, sql, parameters));
    }

    static void execute(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement statement = c.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                fail(what + ": not within " + timeout.toMillis() + " ms");
            }
            Thread.sleep(20);
        }
    }
}
