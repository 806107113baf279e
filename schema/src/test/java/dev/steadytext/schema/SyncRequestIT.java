package dev.steadytext.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.steadytext.api.cache.CacheKey;
import dev.steadytext.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Synchronous generate/embed/embed_batch: the hit path, the miss path through the loopback, waits and timeouts. */
class SyncRequestIT {

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

    @Test
    void hit_returnsCachedResponse_appendsAnAccessRow_andLeavesTheCacheRowAlone() throws Exception {
        String key = CacheKey.forGeneration(genModel, 512, 42, "[EOS]", "cached prompt");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO steadytext_cache (cache_key, kind, model_fingerprint, prompt, response, response_size) "
                    + "VALUES ('" + key + "', 'generation', '" + genModel + "', 'cached prompt', 'from the cache', 14)");
            String before = one(s, "SELECT xmin::text || access_count || last_accessed FROM steadytext_cache");
            assertThat(one(s, "SELECT steadytext_generate('cached prompt')")).isEqualTo("from the cache");
            assertThat(one(s, "SELECT st_generate('cached prompt', 512)")).isEqualTo("from the cache");
            // Naming the model takes the full (validating) path; it must find the same entry.
            assertThat(one(s, "SELECT steadytext_generate('cached prompt', model => 'gen-model')"))
                    .isEqualTo("from the cache");
            assertThat(one(s, "SELECT xmin::text || access_count || last_accessed FROM steadytext_cache"))
                    .as("the cached row was not updated").isEqualTo(before);
            assertThat(one(s, "SELECT count(*) || ':' || bool_and(hit) || ':' || min(cache_key) "
                    + "FROM steadytext_cache_access")).isEqualTo("3:true:" + key);
            assertThat(one(s, "SELECT count(*) FROM steadytext_queue")).isEqualTo("0");
            assertThat(one(s, "SELECT hits || '/' || misses FROM steadytext_cache_stats() WHERE kind = 'generation'"))
                    .isEqualTo("3/0");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"})
    void miss_insideAnOpenTransaction_enqueuesAtOnce_andReturnsTheWorkersResult(String isolation) throws Exception {
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Connection c = db.connect(); Connection w = db.connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL " + isolation);
                s.execute("SELECT count(*) FROM steadytext_cache_stats()"); // the snapshot is taken here
            }
            Future<String> answer = caller.submit(() -> {
                try (Statement s = c.createStatement()) {
                    return one(s, "SELECT steadytext_generate('tell me a story', 40)");
                }
            });
            // The job is visible to the worker while the caller's transaction is still open.
            FakeWorker worker = new FakeWorker();
            FakeWorker.Claimed job = awaitClaim(worker, w);
            assertThat(job.prompt()).isEqualTo("tell me a story");
            assertThat(job.cacheKey()).isEqualTo(CacheKey.forGeneration(genModel, 40, 42, "[EOS]", "tell me a story"));
            assertThat(job.params()).contains("\"max_tokens\": 40");
            worker.completeGeneration(w, job, "once upon a time");
            assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("once upon a time");
            c.commit();
            try (Statement s = c.createStatement()) {
                assertThat(one(s, "SELECT requester || ':' || coalescible FROM steadytext_queue"))
                        .isEqualTo(db.user() + ":true");
                c.commit();
            }
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void timeout_raises57014NamingTheRequest_andTheJobStaysQueued() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SET steadytext.sync_timeout = '150ms'");
            long start = System.nanoTime();
            SQLException e = catchThrowableOfType(SQLException.class,
                    () -> s.execute("SELECT steadytext_generate('nobody answers')"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(e.getSQLState()).isEqualTo("57014");
            String id = one(s, "SELECT request_id FROM steadytext_queue");
            assertThat(e.getMessage()).contains(id).contains("stays queued");
            assertThat(millis).isBetween(140L, 2000L);
            assertThat(one(s, "SELECT status FROM steadytext_queue")).isEqualTo("pending");
            // A second caller joins the same job instead of enqueueing another.
            s.execute("SET steadytext.sync_timeout = '0.05'");
            catchThrowableOfType(SQLException.class, () -> s.execute("SELECT steadytext_generate('nobody answers')"));
            assertThat(one(s, "SELECT count(*) FROM steadytext_queue")).isEqualTo("1");
        }
    }

    @Test
    void syncTimeoutThatIsNoInterval_raises22023NamingTheSetting_beforeAnythingIsEnqueued() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SET steadytext.sync_timeout = 'soon'");
            SQLException e = catchThrowableOfType(SQLException.class,
                    () -> s.execute("SELECT steadytext_generate('when is soon')"));
            assertThat(e.getSQLState()).isEqualTo("22023");
            assertThat(e.getMessage()).contains("steadytext.sync_timeout").contains("\"soon\"");
            s.execute("RESET steadytext.sync_timeout");
            assertThat(one(s, "SELECT count(*) FROM steadytext_queue")).isEqualTo("0");
        }
    }

    @Test
    void processingJob_callerWaitsOnTheWorkersWakeLock_andAnswersOnceTheWorkerLetsGo() throws Exception {
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Connection c = db.connect(); Connection w = db.connect(); Statement ws = w.createStatement()) {
            String callerPid = one(c.createStatement(), "SELECT pg_backend_pid()");
            Future<String> answer = caller.submit(() -> {
                try (Statement s = c.createStatement()) {
                    return one(s, "SELECT steadytext_generate('locked away')");
                }
            });
            FakeWorker worker = new FakeWorker();
            FakeWorker.Claimed job = awaitClaim(worker, w);
            // The worker's lock (schema/README.md): taken in the claim's stead here, right after it.
            one(ws, "SELECT pg_advisory_lock(1398035285, hashtext('" + job.requestId() + "'))");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!"t".equals(one(ws, "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
                    + "AND classid = 1398035285 AND mode = 'ShareLock' AND NOT granted AND pid = " + callerPid + ")"))) {
                assertThat(System.nanoTime()).as("the caller waits for the lock").isLessThan(deadline);
                Thread.sleep(5);
            }
            worker.completeGeneration(w, job, "after the lock");
            one(ws, "SELECT pg_advisory_unlock(1398035285, hashtext('" + job.requestId() + "'))");
            assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("after the lock");
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void processingJob_whoseWorkerNeverLetsGo_stillTimesOutAtTheCallersTimeout() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); Connection w = db.connect();
                Statement ws = w.createStatement()) {
            ExecutorService claimer = Executors.newSingleThreadExecutor();
            try {
                claimer.submit(() -> {
                    FakeWorker worker = new FakeWorker();
                    FakeWorker.Claimed job = awaitClaim(worker, w);
                    return one(ws, "SELECT pg_advisory_lock(1398035285, hashtext('" + job.requestId() + "'))");
                });
                s.execute("SET steadytext.sync_timeout = '300ms'");
                long start = System.nanoTime();
                SQLException e = catchThrowableOfType(SQLException.class,
                        () -> s.execute("SELECT steadytext_generate('held forever')"));
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(e.getSQLState()).isEqualTo("57014");
                assertThat(millis).as("the lock wait ends at the deadline").isBetween(290L, 2000L);
                assertThat(one(s, "SHOW lock_timeout")).as("the caller's own setting is back").isEqualTo("0");
            } finally {
                claimer.shutdownNow();
            }
        }
    }

    @Test
    void failedJob_raisesP0001WithTheWorkersError() throws Exception {
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Connection c = db.connect(); Connection w = db.connect()) {
            Future<String> answer = caller.submit(() -> {
                try (Statement s = c.createStatement()) {
                    return one(s, "SELECT steadytext_generate('doomed')");
                }
            });
            FakeWorker worker = new FakeWorker();
            FakeWorker.Claimed job = awaitClaim(worker, w);
            worker.fail(w, job, "model exploded");
            Throwable e = catchThrowableOfType(java.util.concurrent.ExecutionException.class,
                    () -> answer.get(10, TimeUnit.SECONDS)).getCause();
            assertThat(((SQLException) e).getSQLState()).isEqualTo("P0001");
            assertThat(e.getMessage()).contains("model exploded").contains(job.requestId().toString());
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void sixteenSessions_sameUncachedPrompt_makeOneJob_andGetTheSameAnswer() throws Exception {
        int sessions = 16;
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        CountDownLatch ready = new CountDownLatch(sessions);
        CountDownLatch go = new CountDownLatch(1);
        try (AutoCloseable worker = FakeWorker.running(db)) {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                answers.add(pool.submit(() -> {
                    try (Connection c = db.connect(); Statement s = c.createStatement()) {
                        s.execute("SELECT 1");
                        ready.countDown();
                        go.await();
                        return one(s, "SELECT steadytext_generate('the one prompt')");
                    }
                }));
            }
            ready.await();
            go.countDown();
            Set<String> distinct = new HashSet<>();
            for (Future<String> f : answers) {
                distinct.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(distinct).containsExactly(FakeWorker.answer("the one prompt"));
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                assertThat(one(s, "SELECT count(*) FROM steadytext_queue")).isEqualTo("1");
                assertThat(one(s, "SELECT count(*) FROM steadytext_cache")).isEqualTo("1");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void useCacheFalse_enqueuesEveryTime_andNeverReadsOrWritesTheCache() throws Exception {
        try (AutoCloseable worker = FakeWorker.running(db); Connection c = db.connect(); Statement s = c.createStatement()) {
            assertThat(one(s, "SELECT steadytext_generate('fresh', use_cache => false)"))
                    .isEqualTo(FakeWorker.answer("fresh"));
            assertThat(one(s, "SELECT steadytext_generate('fresh', use_cache => false)"))
                    .isEqualTo(FakeWorker.answer("fresh"));
            assertThat(one(s, "SELECT count(*) || ':' || bool_or(use_cache) || ':' || bool_or(coalescible) "
                    + "FROM steadytext_queue")).isEqualTo("2:false:false");
            assertThat(one(s, "SELECT count(*) FROM steadytext_cache")).isEqualTo("0");
        }
    }

    @Test
    void embed_missThenHit_isBitIdentical_andBatchMatchesSingleTexts() throws Exception {
        try (AutoCloseable worker = FakeWorker.running(db); Connection c = db.connect()) {
            float[] expected = FakeWorker.vector("hello");
            assertThat(embed(c, "SELECT steadytext_embed('hello')")).containsExactly(expected);
            assertThat(embed(c, "SELECT steadytext_embed('hello')")).containsExactly(expected);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            }
            List<String> texts = List.of("hello", "brave new", "world", "brave new");
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM steadytext_embed_batch(?)")) {
                ps.setArray(1, c.createArrayOf("text", texts.toArray())); // texts
                try (ResultSet rs = ps.executeQuery()) {
                    for (String text : texts) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isEqualTo(text);
                        assertThat(floats(rs.getArray(2))).as(text).containsExactly(FakeWorker.vector(text));
                    }
                    assertThat(rs.next()).isFalse();
                }
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                // hello was cached; the two distinct new texts made one job each.
                assertThat(one(s, "SELECT count(*) FROM steadytext_queue WHERE request_type = 'embed'")).isEqualTo("3");
                assertThat(one(s, "SELECT count(*) FROM steadytext_cache WHERE kind = 'embedding'")).isEqualTo("3");
            }
            assertThat(embed(c, "SELECT steadytext_embed('brave new', seed => 7)"))
                    .containsExactly(FakeWorker.vector("brave new"));
        }
    }

    private static float[] embed(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return floats(rs.getArray(1));
        }
    }

    static float[] floats(java.sql.Array array) throws SQLException {
        Float[] boxed = (Float[]) array.getArray();
        float[] out = new float[boxed.length];
        for (int i = 0; i < boxed.length; i++) {
            out[i] = boxed[i];
        }
        return out;
    }

    static FakeWorker.Claimed awaitClaim(FakeWorker worker, Connection w) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Optional<FakeWorker.Claimed> job = worker.claim(w);
            if (job.isPresent()) {
                return job.get();
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no job was enqueued within 10 s");
    }

    static String one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }
}
