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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * steadytext_generate_stream against a worker made of plain JDBC that publishes chunks as the real one does: rows reach
 * the client while the job runs, concatenate to the result, come from the cache when it has them; validation,
 * cancelling and timeouts behave as steadytext_generate's, and a cancelled stream cancels the job it started.
 */
class StreamingRequestIT {

    /** The advisory lock class a reading stream holds a shared lock of (080-streaming.sql). */
    private static final int READER_LOCK_CLASS = 1398035284;

    private TestDatabase db;
    private String model;

    @BeforeEach
    void setUp() throws Exception {
        db = Fixture.database();
        Fixture.reset(db);
        model = Fixture.registerModel(db, "generation", "gen-model", true);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"READ COMMITTED", "REPEATABLE READ"})
    void stream_rowsArriveWhileTheJobRuns_andConcatenateToTheWorkersResult(String isolation) throws Exception {
        String result = "Once upon a time, a dog ran to the park.";
        CountDownLatch firstRowRead = new CountDownLatch(1);
        FakeWorker worker = new FakeWorker();
        CompletableFuture<Void> working = CompletableFuture.runAsync(() -> {
            try (Connection w = db.connect()) {
                FakeWorker.Claimed job = claimWhenQueued(worker, w);
                publish(w, job.requestId(), 0, "Once upon");
                assertThat(firstRowRead.await(10, TimeUnit.SECONDS)).as("the reader saw the first row").isTrue();
                publish(w, job.requestId(), 9, " a time,");
                worker.completeGeneration(w, job, result);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL " + isolation);
            }
            try (PreparedStatement stream = c.prepareStatement("SELECT * FROM steadytext_generate_stream(?, 40)")) {
                stream.setFetchSize(1);
                stream.setString(1, "tell me a story"); // prompt
                try (ResultSet rs = stream.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    rows.add(rs.getString(1));
                    assertThat(status(db, "tell me a story"))
                            .as("the job still runs when the first row arrives").isEqualTo("processing");
                    firstRowRead.countDown();
                    while (rs.next()) {
                        rows.add(rs.getString(1));
                    }
                }
            }
            c.commit();
        }
        working.get(10, TimeUnit.SECONDS);

        assertThat(rows.get(0)).isEqualTo("Once");
        assertThat(String.join("", rows)).isEqualTo(result);
        assertThat(rows).as("word-sized rows").hasSizeGreaterThan(5);
        assertThat(one("SELECT params ->> 'stream' FROM steadytext_queue")).isEqualTo("true");
        assertThat(one("SELECT steadytext_generate('tell me a story', 40)")).as("the same cache entry").isEqualTo(result);
        assertThat(one("SELECT count(*) FROM steadytext_queue")).isEqualTo("1");
    }

    @Test
    void stream_cachedResult_streamsInWordPieces_withoutAJob() throws Exception {
        String key = CacheKey.forGeneration(model, 512, 42, "[EOS]", "cached prompt");
        execute("INSERT INTO steadytext_cache (cache_key, kind, model_fingerprint, prompt, response, response_size) "
                + "VALUES ('" + key + "', 'generation', '" + model + "', 'cached prompt', 'from the\n cache, again', 22)");

        assertThat(column("SELECT * FROM steadytext_generate_stream('cached prompt')"))
                .containsExactly("from", " the", "\n cache,", " again");
        assertThat(column("SELECT st_generate_stream('cached prompt', 512)")).hasSize(4);
        assertThat(one("SELECT count(*) FROM steadytext_queue")).isEqualTo("0");
        assertThat(one("SELECT count(*) || ':' || bool_and(hit) FROM steadytext_cache_access")).isEqualTo("2:true");
    }

    @Test
    void stream_completedBeforeAnyChunk_returnsTheWholeResult() throws Exception {
        try (AutoCloseable worker = FakeWorker.running(db)) {
            assertThat(String.join("", column("SELECT * FROM steadytext_generate_stream('quick one', use_cache => false)")))
                    .isEqualTo(FakeWorker.answer("quick one"));
        }
        assertThat(one("SELECT count(*) FROM steadytext_cache")).as("use_cache => false writes no cache row")
                .isEqualTo("0");
    }

    @Test
    void stream_isInlined_soThatRowsAreNotMaterialised() throws Exception {
        for (String function : List.of("steadytext_generate_stream", "st_generate_stream")) {
            String plan = String.join("\n", column("EXPLAIN SELECT * FROM " + function + "('x')"));
            assertThat(plan).as(function).contains("Recursive Union").doesNotContain("Function Scan on " + function);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            (NULL)                                            | 22004
            ('')                                              | 22023
            ('x', 0)                                          | 22023
            ('x', 5000)                                       | 22023
            ('x', 10, NULL)                                   | 22004
            ('x', 10, true, -1)                               | 22023
            ('x', 10, true, 42, NULL)                         | 22004
            (repeat('x', 65537))                              | 54000
            ('x', size => 'huge')                             | 22023
            ('x', model => 'nope')                            | 22023
            ('x', model => 'openai:gpt-4')                    | 22023
            """)
    void stream_badInput_failsAsSteadytextGenerateDoes_andEnqueuesNothing(String arguments, String sqlState)
            throws Exception {
        SQLException plain = failure("SELECT steadytext_generate" + arguments);
        SQLException streamed = failure("SELECT * FROM steadytext_generate_stream" + arguments);

        assertThat(plain.getSQLState()).isEqualTo(sqlState);
        assertThat(streamed.getSQLState()).as(streamed.getMessage()).isEqualTo(sqlState);
        assertThat(streamed.getMessage()).contains("steadytext_generate_stream");
        assertThat(one("SELECT count(*) FROM steadytext_queue")).isEqualTo("0");
    }

    @Test
    void stream_holdsTheReaderLockWhileItWaits_andTheStatementTimeoutCancelsItsJob() throws Exception {
        String key = CacheKey.forGeneration(model, 512, 42, "[EOS]", "nobody answers");
        CompletableFuture<SQLException> reader = CompletableFuture.supplyAsync(() -> failure(
                "SET statement_timeout = '1500ms'; SELECT * FROM steadytext_generate_stream('nobody answers')"));
        awaitQueued("nobody answers");
        assertThat(one("SELECT pg_try_advisory_xact_lock(" + READER_LOCK_CLASS + ", hashtext('" + key + "'))"))
                .as("a worker's try while the caller reads").isEqualTo("f");

        SQLException e = reader.get(10, TimeUnit.SECONDS);

        assertThat(e.getSQLState()).isEqualTo("57014");
        assertThat(one("SELECT status || ': ' || error FROM steadytext_queue"))
                .isEqualTo("cancelled: cancelled: its streaming caller stopped reading");
        assertThat(one("SELECT pg_try_advisory_xact_lock(" + READER_LOCK_CLASS + ", hashtext('" + key + "'))"))
                .as("a worker's try once the caller is gone").isEqualTo("t");
    }

    @Test
    void stream_cancelledByPgCancelBackend_cancelsItsJob() throws Exception {
        CompletableFuture<SQLException> reader = CompletableFuture.supplyAsync(() -> failure(
                "SELECT * FROM steadytext_generate_stream('cancel me')"));
        awaitQueued("cancel me");

        assertThat(one("SELECT pg_cancel_backend(pid) FROM pg_stat_activity "
                + "WHERE query LIKE 'SELECT * FROM steadytext_generate_stream(''cancel me'')%'")).isEqualTo("t");

        assertThat(reader.get(10, TimeUnit.SECONDS).getSQLState()).isEqualTo("57014");
        assertThat(one("SELECT status FROM steadytext_queue")).isEqualTo("cancelled");
    }

    @Test
    void stream_cancelled_leavesAPlainJobItJoined() throws Exception {
        CompletableFuture<String> plain = CompletableFuture.supplyAsync(() -> {
            try {
                return one("SET steadytext.sync_timeout = '20s'; SELECT steadytext_generate('shared prompt')");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        awaitQueued("shared prompt");

        SQLException e = failure("SET statement_timeout = '500ms'; SELECT * FROM steadytext_generate_stream('shared prompt')");

        assertThat(e.getSQLState()).isEqualTo("57014");
        assertThat(one("SELECT status || ' ' || coalesce(params ->> 'stream', 'plain') FROM steadytext_queue"))
                .isEqualTo("pending plain");
        try (AutoCloseable worker = FakeWorker.running(db)) {
            assertThat(plain.get(10, TimeUnit.SECONDS)).isEqualTo(FakeWorker.answer("shared prompt"));
        }
    }

    @Test
    void stream_noProgressWithinTheSyncTimeout_raises57014_andCancelsItsJob() throws Exception {
        SQLException e = failure("SET steadytext.sync_timeout = '300ms'; SELECT * FROM steadytext_generate_stream('slow')");

        assertThat(e.getSQLState()).isEqualTo("57014");
        assertThat(e.getMessage()).contains("no new text").contains("within");
        assertThat(one("SELECT status FROM steadytext_queue")).isEqualTo("cancelled");
    }

    @Test
    void stream_failedJob_raisesP0001WithTheWorkersError() throws Exception {
        FakeWorker worker = new FakeWorker();
        CompletableFuture<Void> failing = CompletableFuture.runAsync(() -> {
            try (Connection w = db.connect()) {
                worker.fail(w, claimWhenQueued(worker, w), "the model fell over");
                try (Statement s = w.createStatement()) {
                    s.execute("SELECT pg_notify('steadytext_done', request_id::text) FROM steadytext_queue");
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        SQLException e = failure("SELECT * FROM steadytext_generate_stream('doomed')");

        failing.get(10, TimeUnit.SECONDS);
        assertThat(e.getSQLState()).isEqualTo("P0001");
        assertThat(e.getMessage()).contains("the model fell over");
    }

    @Test
    void privileges_usersMayStream_butNotCallTheInternalHelpers() throws Exception {
        assertThat(one("SELECT has_function_privilege('public', 'steadytext_generate_stream(text, int, boolean, int, "
                + "text, text, text, text, text, boolean)', 'EXECUTE')")).isEqualTo("t");
        // PUBLIC, like the hit path's entry points: the invoker function calls them with the caller's rights.
        assertThat(one("SELECT bool_and(has_function_privilege('public', p.oid, 'EXECUTE')) FROM pg_proc p "
                + "WHERE p.proname IN ('_steadytext_stream_start', '_steadytext_stream_next')")).isEqualTo("t");
        assertThat(one("SELECT bool_or(has_function_privilege('public', p.oid, 'EXECUTE')) FROM pg_proc p "
                + "WHERE p.proname IN ('_steadytext_stream_poll', '_steadytext_stream_cancel', "
                + "'_steadytext_stream_pieces')")).isEqualTo("f");
    }

    /** Claims the next job as soon as a caller has queued it. */
    private static FakeWorker.Claimed claimWhenQueued(FakeWorker worker, Connection w) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            var job = worker.claim(w);
            if (job.isPresent()) {
                return job.get();
            }
            Thread.sleep(2);
        }
        throw new AssertionError("no job was queued");
    }

    /** Publishes a chunk as the worker does (queue-postgres Queries.STREAM_PUBLISH, without its checks). */
    private static void publish(Connection w, UUID requestId, int position, String text) throws SQLException {
        try (PreparedStatement ps = w.prepareStatement("INSERT INTO steadytext_stream_chunks (request_id, pos, chunk) "
                + "VALUES (?, ?, ?); SELECT pg_notify('steadytext_stream', ?)")) {
            ps.setObject(1, requestId); // request_id
            ps.setInt(2, position); // pos
            ps.setString(3, text); // chunk
            ps.setString(4, requestId.toString()); // payload: the request id
            ps.execute();
        }
    }

    private void awaitQueued(String prompt) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (status(db, prompt) == null) {
            assertThat(System.nanoTime()).as("queued in time").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static String status(TestDatabase db, String prompt) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT status FROM steadytext_queue WHERE prompt = ?")) {
            ps.setString(1, prompt); // prompt
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The failure of the last of some statements (separated by "; "); fails the test if they all succeed. */
    private SQLException failure(String sql) {
        SQLException e = catchThrowableOfType(SQLException.class, () -> column(sql));
        assertThat((Throwable) e).as(sql).isNotNull();
        return e;
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private String one(String sql) throws SQLException {
        List<String> rows = column(sql);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private List<String> column(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            boolean rows = false;
            for (String part : sql.split("; ")) {
                rows = s.execute(part);
            }
            List<String> values = new ArrayList<>();
            if (rows) {
                try (ResultSet rs = s.getResultSet()) {
                    while (rs.next()) {
                        values.add(rs.getString(1));
                    }
                }
            }
            return values;
        }
    }
}
