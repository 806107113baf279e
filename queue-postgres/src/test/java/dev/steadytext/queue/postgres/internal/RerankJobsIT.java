package dev.steadytext.queue.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.api.cache.CacheKey;
import dev.steadytext.api.queue.Job;
import dev.steadytext.api.queue.JobResult;
import dev.steadytext.api.queue.RequestType;
import dev.steadytext.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rerank jobs through the queue: claimed with their query, task and document keys; completed bit for bit. */
class RerankJobsIT {

    private static final String MODEL = "d".repeat(64);
    private static final String QUERY = "a \"quoted\" query\nwith a\ttab and \u0001";
    private static final String TASK = "find \\ things";

    private TestDatabase db;
    private PostgresJobQueue queue;
    private final UUID worker = UUID.randomUUID();

    @BeforeEach
    void setUp() throws Exception {
        db = QueueDatabase.fresh();
        QueueDatabase.execute(db, "INSERT INTO steadytext_models (fingerprint, kind, name, backend, backend_version, "
                + "model_sha256, settings, is_default) VALUES ('" + MODEL + "', 'reranking', 'test-reranker', 'test', "
                + "'1', '" + MODEL + "', '', true)");
        queue = new PostgresJobQueue(db.dataSource(), QueueDatabase.config(50, 200));
    }

    @AfterEach
    void tearDown() {
        queue.deactivate();
    }

    @Test
    void claim_givesTheQueryTaskDocumentsAndTheirKeys() throws Exception {
        UUID id = rerankAsync("b", "a", "b");

        Job job = claim();

        assertThat(job.requestId()).isEqualTo(id);
        assertThat(job.type()).isEqualTo(RequestType.RERANK);
        assertThat(job.rerank().query()).isEqualTo(QUERY);
        assertThat(job.rerank().task()).isEqualTo(TASK);
        assertThat(job.inputs()).containsExactly("b", "a", "b");
        assertThat(job.cacheKeys()).containsExactly(key("b"), key("a"), key("b"));
        assertThat(job.useCache()).isTrue();
    }

    @Test
    void complete_storesEveryScoreBitForBit_inTheCacheAndTheResult() throws Exception {
        // Values that a text round trip with too few digits would change; -0.0 is stored as 0.0 (JobResult).
        double[] scores = {1 / 3.0, 0.0, Double.MIN_VALUE, 1e-300, -0.7071067811865476};
        UUID id = rerankAsync("s1", "s2", "s3", "s4", "s5");
        Job job = claim();

        queue.complete(worker, List.of(JobResult.reranked(job, scores, 7)));

        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("""
                SELECT response::float8, generation_params ->> 'query', generation_params ->> 'task', kind,
                       model_name, response_size = octet_length(response), generation_time_ms
                FROM steadytext_cache WHERE cache_key = ?""")) {
            for (int i = 0; i < scores.length; i++) {
                ps.setString(1, job.cacheKeys().get(i)); // cache_key
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).as("cache row " + i).isTrue();
                    assertThat(Double.doubleToRawLongBits(rs.getDouble(1))).as("score " + i)
                            .isEqualTo(Double.doubleToRawLongBits(scores[i]));
                    assertThat(List.of(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7)))
                            .containsExactly(QUERY, TASK, "reranking", "test-reranker", "t", "7");
                }
            }
        }
        assertThat(QueueDatabase.status(db, id)).isEqualTo("completed");
        List<Double> fromResult = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT (e.value #>> '{}')::float8 FROM steadytext_queue q, "
                        + "jsonb_array_elements(steadytext_get_async_result(q.request_id, 1)::jsonb) WITH ORDINALITY "
                        + "AS e(value, i) WHERE q.request_id = ? ORDER BY e.i")) {
            ps.setObject(1, id); // request_id
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fromResult.add(rs.getDouble(1));
                }
            }
        }
        assertThat(fromResult).containsExactly(1 / 3.0, 0.0, Double.MIN_VALUE, 1e-300, -0.7071067811865476);
    }

    @Test
    void complete_thenTheSyncFunction_readsTheScoresFromTheCacheInOrder() throws Exception {
        rerankAsync("low", "high");
        queue.complete(worker, List.of(JobResult.reranked(claim(), new double[] {0.125, 0.875}, 1)));

        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT document, score FROM steadytext_rerank(?, ARRAY['low', 'high'], ?)")) {
            ps.setString(1, QUERY); // query
            ps.setString(2, TASK); // task
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + "=" + rs.getDouble(2));
                }
            }
            assertThat(rows).containsExactly("high=0.875", "low=0.125");
        }
        assertThat(QueueDatabase.value(db, "SELECT count(*) FROM steadytext_queue WHERE request_type = ?", "rerank"))
                .as("no second job").isEqualTo("1");
    }

    private UUID rerankAsync(String... documents) throws Exception {
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement("SELECT steadytext_rerank_async(?, ?, ?)")) {
            ps.setString(1, QUERY); // query
            ps.setArray(2, c.createArrayOf("text", documents)); // documents
            ps.setString(3, TASK); // task
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, UUID.class);
            }
        }
    }

    private Job claim() {
        List<Job> jobs = queue.claim(worker, Set.of(RequestType.RERANK), Set.of(MODEL), 10, Duration.ofSeconds(30));
        assertThat(jobs).hasSize(1);
        return jobs.get(0);
    }

    private static String key(String document) {
        return CacheKey.forReranking(MODEL, TASK, QUERY, document);
    }
}
