package dev.steadytext.queue.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.api.queue.Job;
import dev.steadytext.api.queue.JobResult;
import dev.steadytext.api.queue.RequestType;
import dev.steadytext.testkit.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresJobQueueIT {

    private static final Set<RequestType> GENERATE = Set.of(RequestType.GENERATE);
    private static final Set<String> MODELS = Set.of(QueueDatabase.GENERATION_MODEL);
    private static final Duration LEASE = Duration.ofSeconds(30);

    private TestDatabase db;
    private PostgresJobQueue queue;
    private final UUID worker = UUID.randomUUID();

    @BeforeEach
    void setUp() throws Exception {
        db = QueueDatabase.fresh();
        queue = new PostgresJobQueue(db.dataSource(), QueueDatabase.config(50, 200));
    }

    @AfterEach
    void tearDown() {
        queue.deactivate();
    }

    @Test
    void claim_returnsJobsWithTheirParametersAndTakesALease() throws Exception {
        List<UUID> ids = QueueDatabase.generateAsync(db, 3, "prompt");

        List<Job> jobs = queue.claim(worker, GENERATE, MODELS, 10, LEASE);

        assertThat(jobs).extracting(Job::requestId).containsExactlyInAnyOrderElementsOf(ids);
        Job job = jobs.stream().filter(j -> j.requestId().equals(ids.get(0))).findFirst().orElseThrow();
        assertThat(job.inputs()).containsExactly("prompt 0");
        assertThat(job.maxTokens()).isEqualTo(16);
        assertThat(job.seed()).isEqualTo(42);
        assertThat(job.eosString()).isEqualTo("[EOS]");
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(job.cacheKeys().get(0)).matches("[0-9a-f]{64}");
        assertThat(QueueDatabase.value(db, "SELECT lease_until > now() + interval '20 seconds' FROM steadytext_queue WHERE request_id = ?", job.requestId()))
                .isEqualTo("t");
        assertThat(queue.claim(UUID.randomUUID(), GENERATE, MODELS, 10, LEASE)).as("held jobs are not claimed twice").isEmpty();
    }

    @Test
    void claim_skipsJobsForModelsTheWorkerDoesNotServe() throws Exception {
        QueueDatabase.generateAsync(db, 2, "prompt");

        assertThat(queue.claim(worker, GENERATE, Set.of("c".repeat(64)), 10, LEASE)).isEmpty();
        assertThat(queue.claim(worker, Set.of(RequestType.EMBED), MODELS, 10, LEASE)).isEmpty();
    }

    @Test
    void claim_concurrentWorkersClaimEveryJobExactlyOnce() throws Exception {
        List<UUID> ids = QueueDatabase.generateAsync(db, 300, "concurrent");
        Set<UUID> claimed = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(4);
        List<Future<?>> runs = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            UUID workerId = UUID.randomUUID();
            runs.add(workers.submit(() -> {
                List<Job> jobs;
                while (!(jobs = queue.claim(workerId, GENERATE, MODELS, 7, LEASE)).isEmpty()) {
                    List<JobResult> results = new ArrayList<>();
                    for (Job job : jobs) {
                        if (!claimed.add(job.requestId())) {
                            duplicates.incrementAndGet();
                        }
                        results.add(JobResult.generated(job, "answer to " + job.inputs().get(0), 0));
                    }
                    queue.complete(workerId, results);
                }
                return null;
            }));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        workers.shutdown();

        assertThat(duplicates).hasValue(0);
        assertThat(claimed).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(QueueDatabase.value(db, "SELECT count(*) FROM steadytext_queue WHERE status = 'completed' AND attempts = 1 AND request_type = ?", "generate"))
                .isEqualTo("300");
    }

    @Test
    void complete_writesCacheRowAndQueueResultAndNotifiesInOneTransaction() throws Exception {
        UUID id = QueueDatabase.generateAsync(db, 1, "once").get(0);
        Job job = queue.claim(worker, GENERATE, MODELS, 1, LEASE).get(0);

        queue.complete(worker, List.of(JobResult.generated(job, "upon a time", 12)));

        assertThat(QueueDatabase.status(db, id)).isEqualTo("completed");
        assertThat(QueueDatabase.value(db, "SELECT result FROM steadytext_queue WHERE request_id = ?", id)).isEqualTo("upon a time");
        assertThat(QueueDatabase.value(db, "SELECT response FROM steadytext_cache WHERE cache_key = ?", job.cacheKeys().get(0)))
                .isEqualTo("upon a time");
        assertThat(QueueDatabase.value(db, "SELECT model_name || ' ' || response_size || ' ' || generation_time_ms FROM steadytext_cache WHERE cache_key = ?",
                job.cacheKeys().get(0))).isEqualTo("test-generator 11 12");
        assertThat(QueueDatabase.value(db, "SELECT steadytext_get_async_result(?, 1)", id)).isEqualTo("upon a time");
    }

    @Test
    void complete_embeddingsOfEveryKindOfJob_areStoredBitForBit() throws Exception {
        QueueDatabase.execute(db, "SELECT steadytext_embed_async('single'), steadytext_embed_batch_async(ARRAY['first', 'second'])");
        List<Job> jobs = queue.claim(worker, EnumSet.of(RequestType.EMBED, RequestType.EMBED_BATCH),
                Set.of(QueueDatabase.EMBEDDING_MODEL), 10, LEASE);
        // Values that a text round trip with too few digits, or a sign lost on zero, would change.
        float[][] vectors = {{1 / 3f, -0.0f, Float.MIN_VALUE}, {Float.MAX_VALUE, 0.1f, -2.5e-38f}, {7f, 8f, 9f}};
        List<JobResult> results = new ArrayList<>();
        int next = 0;
        for (Job job : jobs) {
            List<float[]> answer = new ArrayList<>();
            for (int i = 0; i < job.inputs().size(); i++) {
                answer.add(vectors[next++]);
            }
            results.add(JobResult.embedded(job, answer, 3));
        }

        queue.complete(worker, results);

        assertThat(jobs).hasSize(2);
        for (JobResult result : results) {
            Job job = result.job();
            assertThat(QueueDatabase.status(db, job.requestId())).isEqualTo("completed");
            for (int i = 0; i < job.inputs().size(); i++) {
                assertThat(bits(cachedEmbedding(job.cacheKeys().get(i)))).as("cache row of " + job.inputs().get(i))
                        .isEqualTo(bits(result.embeddings().get(i)));
            }
        }
        Job single = jobs.stream().filter(j -> j.type() == RequestType.EMBED).findFirst().orElseThrow();
        assertThat(QueueDatabase.value(db, "SELECT embedding = (SELECT embedding FROM steadytext_cache c WHERE c.cache_key = q.cache_key)"
                + " FROM steadytext_queue q WHERE request_id = ?", single.requestId())).isEqualTo("t");
    }

    private float[] cachedEmbedding(String cacheKey) throws Exception {
        try (var c = db.connect(); var query = c.prepareStatement("SELECT embedding FROM steadytext_cache WHERE cache_key = ?")) {
            query.setString(1, cacheKey);
            try (var row = query.executeQuery()) {
                assertThat(row.next()).as("cache row " + cacheKey).isTrue();
                Float[] boxed = (Float[]) row.getArray(1).getArray();
                float[] vector = new float[boxed.length];
                for (int i = 0; i < boxed.length; i++) {
                    vector[i] = boxed[i];
                }
                return vector;
            }
        }
    }

    private static int[] bits(float[] vector) {
        int[] bits = new int[vector.length];
        for (int i = 0; i < vector.length; i++) {
            bits[i] = Float.floatToRawIntBits(vector[i]);
        }
        return bits;
    }

    @Test
    void complete_leavesACancelledJobCancelledButKeepsTheCacheRow() throws Exception {
        UUID id = QueueDatabase.generateAsync(db, 1, "cancel me").get(0);
        Job job = queue.claim(worker, GENERATE, MODELS, 1, LEASE).get(0);
        assertThat(QueueDatabase.value(db, "SELECT steadytext_cancel_async(?)", id)).isEqualTo("t");

        queue.complete(worker, List.of(JobResult.generated(job, "too late", 1)));

        assertThat(QueueDatabase.status(db, id)).isEqualTo("cancelled");
        assertThat(QueueDatabase.value(db, "SELECT response FROM steadytext_cache WHERE cache_key = ?", job.cacheKeys().get(0)))
                .isEqualTo("too late");
    }

    @Test
    void claim_takesOverAJobWhoseLeaseExpired() throws Exception {
        UUID id = QueueDatabase.generateAsync(db, 1, "abandoned").get(0);
        UUID deadWorker = UUID.randomUUID();
        queue.claim(deadWorker, GENERATE, MODELS, 1, Duration.ofMillis(1));
        Thread.sleep(20);

        List<Job> retaken = queue.claim(worker, GENERATE, MODELS, 1, LEASE);

        assertThat(retaken).extracting(Job::requestId).containsExactly(id);
        assertThat(retaken.get(0).attempts()).isEqualTo(2);
        queue.complete(deadWorker, List.of(JobResult.generated(retaken.get(0), "stale", 1)));
        assertThat(QueueDatabase.value(db, "SELECT worker_id::text FROM steadytext_queue WHERE request_id = ?", id))
                .as("the dead worker's late completion does not overwrite the new claim").isEqualTo(worker.toString());
    }

    @Test
    void claim_ordersPendingAndLeaseExpiredJobsTogether_byPriorityThenAge_upToTheLimit() throws Exception {
        List<UUID> expired = QueueDatabase.generateAsync(db, 2, "expired");
        queue.claim(UUID.randomUUID(), GENERATE, MODELS, 2, Duration.ofMillis(1));
        List<UUID> pending = QueueDatabase.generateAsync(db, 3, "pending");
        QueueDatabase.execute(db, "UPDATE steadytext_queue SET priority = 1 WHERE request_id IN ('" + pending.get(0)
                + "', '" + pending.get(1) + "')");
        Thread.sleep(20);

        List<Job> first = queue.claim(worker, GENERATE, MODELS, 3, LEASE);
        List<Job> rest = queue.claim(worker, GENERATE, MODELS, 10, LEASE);

        assertThat(first).extracting(Job::requestId)
                .containsExactlyInAnyOrder(expired.get(0), expired.get(1), pending.get(2));
        assertThat(rest).extracting(Job::requestId).containsExactlyInAnyOrder(pending.get(0), pending.get(1));
    }

    @Test
    void fail_retriesWithBackoffThenFailsWhenAttemptsAreSpent() throws Exception {
        UUID id = QueueDatabase.generateAsync(db, 1, "flaky").get(0);
        for (int attempt = 1; attempt <= 3; attempt++) {
            Job job = awaitClaim(Duration.ofSeconds(5));
            assertThat(job.attempts()).isEqualTo(attempt);
            queue.fail(worker, job, "boom " + attempt, true);
            if (attempt < 3) {
                assertThat(QueueDatabase.status(db, id)).isEqualTo("pending");
                // The backoff (50 ms, then 100 ms) counts from the failure, which came after the claim; measured
                // from the claim, not from now, so that a stalled test thread cannot make it look spent.
                assertThat(QueueDatabase.value(db, "SELECT run_after >= started_at + interval '" + (50 << (attempt - 1))
                        + " milliseconds' FROM steadytext_queue WHERE request_id = ?", id)).isEqualTo("t");
            }
        }
        assertThat(QueueDatabase.status(db, id)).isEqualTo("failed");
        assertThat(QueueDatabase.value(db, "SELECT error FROM steadytext_queue WHERE request_id = ?", id)).isEqualTo("boom 3");
    }

    @Test
    void fail_permanentErrorFailsAtOnce() throws Exception {
        UUID id = QueueDatabase.generateAsync(db, 1, "bad input").get(0);
        Job job = queue.claim(worker, GENERATE, MODELS, 1, LEASE).get(0);

        queue.fail(worker, job, "prompt is longer than the model's context", false);

        assertThat(QueueDatabase.status(db, id)).isEqualTo("failed");
    }

    @Test
    void release_returnsJobsWithoutCountingTheAttempt() throws Exception {
        UUID id = QueueDatabase.generateAsync(db, 1, "shutdown").get(0);
        queue.claim(worker, GENERATE, MODELS, 1, LEASE);

        queue.release(worker, List.of(id));

        assertThat(QueueDatabase.value(db, "SELECT status || ' ' || attempts FROM steadytext_queue WHERE request_id = ?", id))
                .isEqualTo("pending 0");
    }

    @Test
    void extendLeases_countsOnlyJobsThisWorkerHolds() throws Exception {
        List<UUID> ids = QueueDatabase.generateAsync(db, 2, "long");
        queue.claim(worker, GENERATE, MODELS, 2, Duration.ofSeconds(1));

        assertThat(queue.extendLeases(worker, ids, Duration.ofMinutes(5))).isEqualTo(2);
        assertThat(queue.extendLeases(UUID.randomUUID(), ids, Duration.ofMinutes(5))).isZero();
        assertThat(QueueDatabase.value(db, "SELECT lease_until > now() + interval '4 minutes' FROM steadytext_queue WHERE request_id = ?", ids.get(0)))
                .isEqualTo("t");
    }

    @Test
    void awaitWork_wakesOnANewRequest() throws Exception {
        queue.awaitWork(Duration.ofMillis(600)); // consumes the wake-up the listener sends after connecting
        long start = System.nanoTime();
        Thread enqueuer = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(100);
                QueueDatabase.generateAsync(db, 1, "wake up");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        boolean notified = queue.awaitWork(Duration.ofSeconds(10));
        enqueuer.join();

        assertThat(notified).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void awaitWork_forOtherTypes_isNotWokenByAGenerationRequest() throws Exception {
        Set<RequestType> embeddings = EnumSet.of(RequestType.EMBED, RequestType.EMBED_BATCH);
        Set<RequestType> generation = EnumSet.of(RequestType.GENERATE);
        // Each call consumes the wake-up the listener sends after connecting, for its own types.
        queue.awaitWork(embeddings, Duration.ofMillis(600));
        queue.awaitWork(generation, Duration.ofMillis(600));

        QueueDatabase.generateAsync(db, 1, "for the generation lane");

        assertThat(queue.awaitWork(generation, Duration.ofSeconds(10))).as("generation woken").isTrue();
        assertThat(queue.awaitWork(embeddings, Duration.ofMillis(300))).as("embeddings woken").isFalse();
    }

    private Job awaitClaim(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Job> jobs = queue.claim(worker, GENERATE, MODELS, 1, LEASE);
            if (!jobs.isEmpty()) {
                return jobs.get(0);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no job became claimable within " + timeout + Collections.emptyList());
    }
}
