package dev.steadytext.queue.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.api.queue.Job;
import dev.steadytext.api.queue.JobResult;
import dev.steadytext.api.queue.RequestType;
import dev.steadytext.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The worker's side of streaming against the real SQL reader (steadytext_generate_stream) and its reader lock. */
class PostgresJobStreamsIT {

    private static final Set<RequestType> GENERATE = Set.of(RequestType.GENERATE);
    private static final Set<String> MODELS = Set.of(QueueDatabase.GENERATION_MODEL);
    private static final Duration LEASE = Duration.ofSeconds(30);

    private TestDatabase db;
    private PostgresJobQueue queue;
    private PostgresJobStreams streams;
    private final UUID worker = UUID.randomUUID();

    @BeforeEach
    void setUp() throws Exception {
        db = QueueDatabase.fresh();
        queue = new PostgresJobQueue(db.dataSource(), QueueDatabase.config(50, 200));
        streams = new PostgresJobStreams(db.dataSource());
    }

    @AfterEach
    void tearDown() {
        queue.deactivate();
    }

    @Test
    void publish_whileACallerReads_reachesTheCallerBeforeTheJobCompletes() throws Exception {
        String result = "Once upon a time, the end.";
        try (Connection reader = db.connect()) {
            reader.setAutoCommit(false);
            try (PreparedStatement stream = reader.prepareStatement("SELECT * FROM steadytext_generate_stream(?, 16)")) {
                stream.setFetchSize(1);
                stream.setString(1, "a story"); // prompt
                CompletableFuture<ResultSet> rows = CompletableFuture.supplyAsync(() -> {
                    try {
                        return stream.executeQuery(); // returns with the first row
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Job job = claimOne();
                assertThat(job.stream()).isTrue();
                assertThat(streams.begin(worker, job)).as("a caller reads").isTrue();
                assertThat(streams.publish(worker, job, 0, "Once upon")).isTrue();

                try (ResultSet rs = rows.get(10, TimeUnit.SECONDS)) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("Once");
                    assertThat(QueueDatabase.status(db, job.requestId())).isEqualTo("processing");
                    assertThat(streams.publish(worker, job, 9, " a time")).isTrue();
                    queue.complete(worker, List.of(JobResult.generated(job, result, 3)));
                    streams.end(job.requestId());
                    List<String> all = new ArrayList<>(List.of(rs.getString(1)));
                    while (rs.next()) {
                        all.add(rs.getString(1));
                    }
                    assertThat(String.join("", all)).isEqualTo(result);
                }
            }
            reader.commit();
        }
        assertThat(chunks()).isZero();
    }

    @Test
    void publish_afterTheCallerDisconnected_answersFalse_andAbandonCancelsTheJob() throws Exception {
        Connection reader = db.connect();
        reader.setAutoCommit(false);
        PreparedStatement stream = reader.prepareStatement("SELECT * FROM steadytext_generate_stream('gone soon', 16)");
        stream.setFetchSize(1);
        CompletableFuture<ResultSet> rows = CompletableFuture.supplyAsync(() -> {
            try {
                return stream.executeQuery();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Job job = claimOne();
        assertThat(streams.begin(worker, job)).isTrue();
        assertThat(streams.publish(worker, job, 0, "Once")).isTrue();
        rows.get(10, TimeUnit.SECONDS).next();

        reader.close(); // the caller's session ends without a cancel, as when a client dies

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean wanted = true;
        for (int position = 4; wanted && System.nanoTime() < deadline; position++) {
            wanted = streams.publish(worker, job, position, " ");
            Thread.sleep(5);
        }
        assertThat(wanted).as("the worker learns that nobody reads").isFalse();
        streams.abandon(worker, job, "cancelled: no caller");
        assertThat(QueueDatabase.value(db, "SELECT status || ': ' || error FROM steadytext_queue WHERE request_id = ?",
                job.requestId())).isEqualTo("cancelled: cancelled: no caller");
        assertThat(QueueDatabase.value(db, "SELECT count(*) FROM steadytext_stream_chunks WHERE request_id = ?",
                job.requestId())).isEqualTo("0");
    }

    @Test
    void begin_withoutAReader_answersFalse_andPlainJobsAreNotStreams() throws Exception {
        UUID plain = QueueDatabase.generateAsync(db, 1, "plain").get(0);
        insertStreamJob("nobody reads this");

        List<Job> jobs = queue.claim(worker, GENERATE, MODELS, 10, LEASE);

        Job stream = jobs.stream().filter(Job::stream).findFirst().orElseThrow();
        assertThat(jobs).filteredOn(job -> !job.stream()).extracting(Job::requestId).containsExactly(plain);
        assertThat(streams.begin(worker, stream)).isFalse();
    }

    @Test
    void publish_jobCancelledOrTakenOver_answersFalseAndWritesNothing() throws Exception {
        String key = insertStreamJob("cancelled meanwhile");
        try (Connection reader = holdReaderLock(key)) {
            Job job = claimOne();
            assertThat(streams.begin(worker, job)).isTrue();
            assertThat(streams.begin(UUID.randomUUID(), job)).as("another worker's view").isFalse();
            QueueDatabase.execute(db, "UPDATE steadytext_queue SET status = 'cancelled'");

            assertThat(streams.publish(worker, job, 0, "text")).isFalse();
            assertThat(QueueDatabase.value(db, "SELECT count(*) FROM steadytext_stream_chunks WHERE request_id = ?",
                    job.requestId())).isEqualTo("0");
        }
    }

    @Test
    void begin_discardsAnEarlierAttemptsOutput_andOrphansOfEndedJobs() throws Exception {
        String key = insertStreamJob("second attempt");
        UUID ended = UUID.randomUUID();
        try (Connection reader = holdReaderLock(key)) {
            Job job = claimOne();
            QueueDatabase.execute(db, "INSERT INTO steadytext_stream_chunks (request_id, pos, chunk) VALUES ('"
                    + job.requestId() + "', 0, 'old'), ('" + ended + "', 0, 'orphan')");

            assertThat(streams.begin(worker, job)).isTrue();

            assertThat(chunks()).isZero();
        }
    }

    private long chunks() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM steadytext_stream_chunks")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Job claimOne() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            List<Job> jobs = queue.claim(worker, GENERATE, MODELS, 1, LEASE);
            if (!jobs.isEmpty()) {
                return jobs.get(0);
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no job was queued");
    }

    /** Queues a streaming job as steadytext_generate_stream does, without a caller; returns its cache key. */
    private String insertStreamJob(String prompt) throws Exception {
        String key = UUID.randomUUID().toString().replace("-", "") + "0".repeat(32);
        try (Connection c = db.connect(); PreparedStatement insert = c.prepareStatement("""
                INSERT INTO steadytext_queue (request_type, model_fingerprint, coalescible, cache_key, prompt, params)
                VALUES ('generate', ?, true, ?, ?, '{"max_tokens": 16, "seed": 42, "eos_string": "[EOS]", "stream": true}')
                """)) {
            insert.setString(1, QueueDatabase.GENERATION_MODEL); // model_fingerprint
            insert.setString(2, key); // cache_key
            insert.setString(3, prompt); // prompt
            insert.executeUpdate();
        }
        return key;
    }

    /** A connection holding the lock a reading caller holds, until it is closed. */
    private Connection holdReaderLock(String cacheKey) throws Exception {
        Connection reader = db.connect();
        reader.setAutoCommit(false);
        try (Statement s = reader.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock_shared(1398035284, hashtext('" + cacheKey + "'))");
        }
        return reader;
    }
}
