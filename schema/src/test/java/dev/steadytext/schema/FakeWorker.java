package dev.steadytext.schema;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A worker made of plain JDBC, doing what the real one must: claim with FOR UPDATE SKIP LOCKED, then in ONE
 * transaction write the cache row (if use_cache), complete the queue row (only if still ours) and NOTIFY
 * steadytext_done. It doubles as the executable statement of that contract.
 */
final class FakeWorker {

    /** A claimed job. */
    record Claimed(UUID requestId, String type, String cacheKey, String prompt, boolean useCache,
            String modelFingerprint, String params) {
    }

    private final UUID workerId = UUID.randomUUID();

    /** The text this fake computes for a prompt. */
    static String answer(String prompt) {
        return "answer to " + prompt;
    }

    /** The vector this fake computes for a text: awkward floats, so that lossy transport would show. */
    static float[] vector(String text) {
        return new float[] {text.length(), 0.1f, 1f / 3f, 1.17549435E-38f, -0.0f, (float) Math.PI};
    }

    /** The score this fake gives a document: shorter is more relevant, and equal lengths tie. */
    static double score(String document) {
        return 1.0 / document.codePointCount(0, document.length());
    }

    /**
     * Runs a worker thread that claims and completes every job until closed: generations answer
     * {@link #answer}, embeddings {@link #vector}, embed_batch jobs one row per input, and rerank jobs
     * {@link #score} per document.
     */
    static AutoCloseable running(dev.steadytext.testkit.TestDatabase db) {
        FakeWorker worker = new FakeWorker();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread thread = new Thread(() -> {
            try (Connection c = db.connect()) {
                while (!stop.get()) {
                    Optional<Claimed> job = worker.claim(c);
                    if (job.isEmpty()) {
                        Thread.sleep(1);
                        continue;
                    }
                    Claimed j = job.get();
                    switch (j.type()) {
                        case "generate" -> worker.completeGeneration(c, j, answer(j.prompt()));
                        case "embed" -> worker.completeEmbedding(c, j, vector(j.prompt()));
                        case "rerank" -> worker.completeRerank(c, j);
                        default -> worker.completeBatch(c, j);
                    }
                }
            } catch (Exception e) {
                if (!stop.get()) {
                    e.printStackTrace();
                }
            }
        }, "fake-worker");
        thread.setDaemon(true);
        thread.start();
        return () -> {
            stop.set(true);
            thread.join(5000);
        };
    }

    /** Completes an embed_batch job: one vector per input, as a 2-D real[] in input order. */
    void completeBatch(Connection c, Claimed job) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT inputs FROM steadytext_queue WHERE request_id = ?")) {
            ps.setObject(1, job.requestId()); // request_id
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String[] inputs = (String[]) rs.getArray(1).getArray();
                Float[][] rows = new Float[inputs.length][];
                for (int i = 0; i < inputs.length; i++) {
                    rows[i] = box(vector(inputs[i]));
                }
                try (PreparedStatement done = c.prepareStatement("""
                        UPDATE steadytext_queue SET status = 'completed', embeddings = ?, completed_at = clock_timestamp(),
                                                    lease_until = NULL
                        WHERE request_id = ? AND status = 'processing' AND worker_id = ?
                        """)) {
                    done.setArray(1, c.createArrayOf("float4", rows)); // embeddings
                    done.setObject(2, job.requestId()); // request_id
                    done.setObject(3, workerId); // worker_id
                    done.executeUpdate();
                }
            }
        }
    }

    /**
     * Completes a rerank job as the real worker does: one cache row per document (score as the response text),
     * the scores as a JSON array in the job's document order, and the notification, in one transaction.
     */
    void completeRerank(Connection c, Claimed job) throws SQLException {
        List<String> documents = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT d.value #>> '{}', k.value #>> '{}'
                FROM steadytext_queue q,
                     jsonb_array_elements(q.params -> 'documents') WITH ORDINALITY AS d(value, i),
                     jsonb_array_elements(q.params -> 'document_keys') WITH ORDINALITY AS k(value, j)
                WHERE q.request_id = ? AND d.i = k.j ORDER BY d.i
                """)) {
            ps.setObject(1, job.requestId()); // request_id
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    documents.add(rs.getString(1));
                    keys.add(rs.getString(2));
                }
            }
        }
        inTransaction(c, () -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO steadytext_cache (cache_key, kind, model_fingerprint, prompt, response,
                                                  generation_params, response_size, generation_time_ms)
                    SELECT ?, 'reranking', ?, ?, ?, jsonb_build_object('query', ?::text, 'task', q.params ->> 'task'),
                           octet_length(?), 1
                    FROM steadytext_queue q WHERE q.request_id = ?
                    ON CONFLICT (cache_key) DO NOTHING
                    """)) {
                List<String> scores = new ArrayList<>();
                for (int i = 0; i < documents.size(); i++) {
                    String score = Double.toString(score(documents.get(i)));
                    scores.add(score);
                    ps.setString(1, keys.get(i)); // cache_key
                    ps.setString(2, job.modelFingerprint()); // model_fingerprint
                    ps.setString(3, documents.get(i)); // prompt: the document
                    ps.setString(4, score); // response: the score
                    ps.setString(5, job.prompt()); // generation_params.query
                    ps.setString(6, score); // response_size
                    ps.setObject(7, job.requestId()); // the job, for its task
                    ps.addBatch();
                }
                ps.executeBatch();
                finish(c, job, "[" + String.join(",", scores) + "]", null);
            }
        });
    }

    Optional<Claimed> claim(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE steadytext_queue q
                SET status = 'processing', attempts = q.attempts + 1, worker_id = ?,
                    lease_until = clock_timestamp() + interval '30 seconds', started_at = clock_timestamp()
                WHERE q.request_id = (SELECT request_id FROM steadytext_queue
                                      WHERE status = 'pending' AND run_after <= clock_timestamp()
                                      ORDER BY priority, created_at FOR UPDATE SKIP LOCKED LIMIT 1)
                RETURNING q.request_id, q.request_type, q.cache_key, q.prompt, q.use_cache, q.model_fingerprint,
                          q.params::text
                """)) {
            ps.setObject(1, workerId); // worker_id
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Claimed(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getBoolean(5), rs.getString(6), rs.getString(7)));
            }
        }
    }

    /** Completes a generation: cache row, queue row and notification in one transaction. */
    void completeGeneration(Connection c, Claimed job, String text) throws SQLException {
        inTransaction(c, () -> {
            if (job.useCache()) {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO steadytext_cache (cache_key, kind, model_fingerprint, prompt, response, seed,
                            eos_string, generation_params, response_size, generation_time_ms)
                        VALUES (?, 'generation', ?, ?, ?, (?::jsonb ->> 'seed')::int, ?::jsonb ->> 'eos_string',
                                ?::jsonb, octet_length(?), 1)
                        ON CONFLICT (cache_key) DO NOTHING
                        """)) {
                    ps.setString(1, job.cacheKey()); // cache_key
                    ps.setString(2, job.modelFingerprint()); // model_fingerprint
                    ps.setString(3, job.prompt()); // prompt
                    ps.setString(4, text); // response
                    ps.setString(5, job.params()); // seed
                    ps.setString(6, job.params()); // eos_string
                    ps.setString(7, job.params()); // generation_params
                    ps.setString(8, text); // response_size
                    ps.executeUpdate();
                }
            }
            finish(c, job, text, null);
        });
    }

    /** Completes an embedding job the same way. */
    void completeEmbedding(Connection c, Claimed job, float[] vector) throws SQLException {
        inTransaction(c, () -> {
            Array array = c.createArrayOf("float4", box(vector));
            if (job.useCache()) {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO steadytext_cache (cache_key, kind, model_fingerprint, prompt, embedding,
                            response_size, generation_time_ms)
                        VALUES (?, 'embedding', ?, ?, ?, ?, 1)
                        ON CONFLICT (cache_key) DO NOTHING
                        """)) {
                    ps.setString(1, job.cacheKey()); // cache_key
                    ps.setString(2, job.modelFingerprint()); // model_fingerprint
                    ps.setString(3, job.prompt()); // prompt
                    ps.setArray(4, array); // embedding
                    ps.setInt(5, 4 * vector.length); // response_size
                    ps.executeUpdate();
                }
            }
            finish(c, job, null, array);
        });
    }

    /** Records a final failure, as the real worker does when attempts are used up. */
    void fail(Connection c, Claimed job, String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE steadytext_queue SET status = 'failed', error = ?, completed_at = clock_timestamp(),
                                            lease_until = NULL
                WHERE request_id = ? AND status = 'processing' AND worker_id = ?
                """)) {
            ps.setString(1, error); // error
            ps.setObject(2, job.requestId()); // request_id
            ps.setObject(3, workerId); // worker_id
            ps.executeUpdate();
        }
    }

    /** Work on one connection that must commit as a whole. */
    private interface Transaction {
        void run() throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed if it completes, rolled back if it throws. */
    private static void inTransaction(Connection c, Transaction work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private void finish(Connection c, Claimed job, String text, Array embedding) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE steadytext_queue
                SET status = 'completed', result = ?, embedding = ?, completed_at = clock_timestamp(),
                    lease_until = NULL,
                    processing_time_ms = (extract(epoch FROM clock_timestamp() - started_at) * 1000)::int
                WHERE request_id = ? AND status = 'processing' AND worker_id = ?
                """)) {
            ps.setString(1, text); // result
            ps.setArray(2, embedding); // embedding
            ps.setObject(3, job.requestId()); // request_id
            ps.setObject(4, workerId); // worker_id
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('steadytext_done', ?)")) {
            ps.setString(1, job.requestId().toString()); // payload: the request id
            ps.execute();
        }
    }

    private static Float[] box(float[] vector) {
        Float[] boxed = new Float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            boxed[i] = vector[i];
        }
        return boxed;
    }
}
