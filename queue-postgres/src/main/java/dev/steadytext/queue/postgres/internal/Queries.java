package dev.steadytext.queue.postgres.internal;

/**
 * Every statement this bundle sends. Table names are unqualified: the pool's connections have {@code currentSchema}
 * set to the platform's schema.
 */
final class Queries {

    private Queries() {
    }

    /**
     * Claims runnable jobs in one statement: pending ones whose backoff has passed, and processing ones whose lease
     * ran out (their worker died). SKIP LOCKED lets concurrent workers claim disjoint sets without waiting. The two
     * kinds are looked up apart (pending ones in the order of their partial index; expired leases are few, and sorted),
     * so that a claim reads about as many rows as it takes: one condition with OR read and sorted every pending row at every claim (8 ms a claim with 20,000
     * queued). The rows locked but not taken are let go when the claim commits.
     */
    static final String CLAIM = """
            WITH pending AS (
                SELECT request_id, priority, created_at FROM steadytext_queue
                WHERE status = 'pending' AND run_after <= now()
                  AND request_type = ANY(?)          -- request types this worker serves
                  AND model_fingerprint = ANY(?)     -- models this worker has loaded
                ORDER BY priority, created_at
                LIMIT ?                              -- most jobs claimed
                FOR UPDATE SKIP LOCKED),
            expired AS (
                SELECT request_id, priority, created_at FROM steadytext_queue
                WHERE status = 'processing' AND lease_until < now() AND attempts < max_attempts
                  AND request_type = ANY(?)          -- request types this worker serves
                  AND model_fingerprint = ANY(?)     -- models this worker has loaded
                ORDER BY priority, created_at
                LIMIT ?                              -- most jobs claimed
                FOR UPDATE SKIP LOCKED),
            candidates AS (
                SELECT request_id FROM (SELECT * FROM pending UNION ALL SELECT * FROM expired) AS runnable
                ORDER BY priority, created_at
                LIMIT ?)                             -- most jobs claimed
            UPDATE steadytext_queue q
               SET status = 'processing',
                   worker_id = ?,                    -- the claiming worker
                   attempts = q.attempts + 1,
                   lease_until = now() + ? * interval '1 millisecond',
                   started_at = clock_timestamp(),
                   error = NULL
              FROM candidates c
             WHERE q.request_id = c.request_id
            RETURNING q.request_id, q.request_type, q.model_fingerprint, q.use_cache, q.cache_key, q.prompt,
                      q.inputs, q.cache_keys, (q.params->>'max_tokens')::int, (q.params->>'seed')::int,
                      q.params->>'eos_string', q.attempts, q.created_at,
                      -- structured generation's constraint, at most one of the three (060-structured.sql)
                      q.params->>'json_schema', q.params->>'regex',
                      ARRAY(SELECT jsonb_array_elements_text(q.params->'choices')),
                      -- read by name: streamed generation (080-streaming.sql)
                      coalesce((q.params->>'stream')::boolean, false) AS stream,
                      -- read by name: reranking's task, documents and their cache keys (090-reranking.sql)
                      q.params->>'task' AS rerank_task,
                      ARRAY(SELECT jsonb_array_elements_text(q.params->'documents')) AS rerank_documents,
                      ARRAY(SELECT jsonb_array_elements_text(q.params->'document_keys')) AS rerank_keys,
                      -- the lock that wakes the job's waiting callers when it ends (JobWakeLocks), taken before the
                      -- claim commits; false when another session holds it
                      pg_try_advisory_lock(1398035285, hashtext(q.request_id::text)) AS wake_lock
            """;

    /** Jobs whose worker died on their last allowed attempt end failed rather than killing the next worker too. */
    static final String FAIL_ABANDONED = """
            WITH failed AS (
                UPDATE steadytext_queue
                   SET status = 'failed', completed_at = clock_timestamp(), lease_until = NULL,
                       error = 'the worker processing this request stopped ' || attempts || ' times; giving up'
                 WHERE status = 'processing' AND lease_until < now() AND attempts >= max_attempts
                RETURNING request_id)
            SELECT pg_notify('steadytext_done', request_id::text) FROM failed
            """;

    /**
     * One cache row per computed input, all in one statement; an existing row (another worker was faster) is kept.
     * Vectors arrive as one flat array that each row slices by offset and length, so that a group of results is a
     * single statement with a handful of parameters, whatever its size.
     */
    static final String INSERT_CACHE = """
            INSERT INTO steadytext_cache (cache_key, kind, model_fingerprint, model_name, prompt, response, embedding,
                                          seed, eos_string, generation_params, response_size, generation_time_ms)
            SELECT u.cache_key, u.kind, u.fingerprint, m.name, u.prompt, u.response,
                   CASE WHEN u.vector_start IS NOT NULL
                        THEN v.flat[u.vector_start : u.vector_start + u.vector_length - 1] END,
                   u.seed, u.eos_string, u.params::jsonb, u.size, u.millis
              FROM unnest(?::text[],                  -- cache_key
                          ?::text[],                  -- kind
                          ?::text[],                  -- model_fingerprint
                          ?::text[],                  -- prompt: the input
                          ?::text[],                  -- response (generation)
                          ?::int[],                   -- seed (generation)
                          ?::text[],                  -- eos_string (generation)
                          ?::text[],                  -- generation_params
                          ?::int[],                   -- response_size in bytes
                          ?::bigint[],                -- generation_time_ms
                          ?::int[],                   -- the embedding's first element in the flat array
                          ?::int[])                   -- the embedding's length
                   AS u(cache_key, kind, fingerprint, prompt, response, seed, eos_string, params, size, millis,
                        vector_start, vector_length)
             CROSS JOIN (SELECT ?::real[] AS flat) v  -- every embedding, one after the other
              LEFT JOIN steadytext_models m ON m.fingerprint = u.fingerprint
            ON CONFLICT (cache_key) DO NOTHING
            """;

    /**
     * Completes single-input jobs this worker still holds, all in one statement (vectors as in {@link #INSERT_CACHE});
     * a cancelled or taken-over job is left alone.
     */
    static final String COMPLETE = """
            UPDATE steadytext_queue q
               SET status = 'completed',
                   result = u.result,
                   embedding = CASE WHEN u.vector_start IS NOT NULL
                                    THEN v.flat[u.vector_start : u.vector_start + u.vector_length - 1] END,
                   completed_at = clock_timestamp(),
                   processing_time_ms = u.millis,
                   lease_until = NULL
              FROM unnest(?::uuid[],                  -- request_id
                          ?::text[],                  -- result: generated text
                          ?::int[],                   -- the embedding's first element in the flat array
                          ?::int[],                   -- the embedding's length
                          ?::bigint[])                -- processing_time_ms
                   AS u(request_id, result, vector_start, vector_length, millis),
                   (SELECT ?::real[] AS flat) v       -- every embedding, one after the other
             WHERE q.request_id = u.request_id AND q.worker_id = ? AND q.status = 'processing'
            """;

    /** Completes an embed_batch job this worker still holds; a cancelled or taken-over job is left alone. */
    static final String COMPLETE_BATCH = """
            UPDATE steadytext_queue
               SET status = 'completed',
                   embeddings = ?,                   -- one row per input
                   completed_at = clock_timestamp(),
                   processing_time_ms = ?,
                   lease_until = NULL
             WHERE request_id = ? AND worker_id = ? AND status = 'processing'
            """;

    /**
     * {@link #INSERT_CACHE} and {@link #COMPLETE} as one statement, waking the readers of the streamed jobs among them
     * (the last parameter): the common completion in one round trip. Callers waiting for other jobs need no
     * notification: they wait on the job's lock (JobWakeLocks), and every NOTIFY wakes every listening session.
     */
    static final String COMPLETE_WITH_CACHE_ROWS = "WITH cached AS (" + INSERT_CACHE + "),\n"
            + "completed AS (" + COMPLETE + "    RETURNING q.request_id)\n"
            + "SELECT count(pg_notify('steadytext_done', c.request_id::text)) FROM completed c\n"
            + " WHERE c.request_id = ANY(?::uuid[])  -- streamed jobs\n";

    /**
     * Retries with capped exponential backoff, or fails for good when the error is permanent or attempts are spent.
     */
    static final String FAIL = """
            WITH failed AS (
                UPDATE steadytext_queue
                   SET status = CASE WHEN ? OR attempts >= max_attempts THEN 'failed' ELSE 'pending' END,  -- permanent
                       error = ?,                                                                         -- message
                       run_after = now() + least(? * power(2, attempts - 1), ?) * interval '1 millisecond', -- base, cap
                       completed_at = CASE WHEN ? OR attempts >= max_attempts THEN clock_timestamp() END,   -- permanent
                       lease_until = NULL,
                       worker_id = NULL
                 WHERE request_id = ? AND worker_id = ? AND status = 'processing'
                RETURNING request_id, status)
            SELECT pg_notify('steadytext_done', request_id::text) FROM failed WHERE status = 'failed'
            """;

    /** Hands jobs back without counting the attempt: the worker stops before computing them. */
    static final String RELEASE = """
            UPDATE steadytext_queue
               SET status = 'pending', attempts = greatest(attempts - 1, 0), lease_until = NULL, worker_id = NULL
             WHERE request_id = ANY(?) AND worker_id = ? AND status = 'processing'
            """;

    static final String EXTEND_LEASES = """
            UPDATE steadytext_queue
               SET lease_until = now() + ? * interval '1 millisecond'  -- lease length
             WHERE request_id = ANY(?) AND worker_id = ? AND status = 'processing'
            """;

    static final String REGISTER_WORKER = """
            INSERT INTO steadytext_workers (worker_id, host, pid) VALUES (?, ?, ?)
            ON CONFLICT (worker_id) DO UPDATE SET host = EXCLUDED.host, pid = EXCLUDED.pid,
                started_at = now(), last_heartbeat = now(), stopped_at = NULL
            """;

    static final String REGISTER_MODEL = """
            INSERT INTO steadytext_models (fingerprint, kind, name, backend, backend_version, model_sha256, settings,
                                           dimension, is_default)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (fingerprint) DO UPDATE SET name = EXCLUDED.name, is_default = EXCLUDED.is_default,
                last_seen = now()
            """;

    static final String HEARTBEAT = """
            UPDATE steadytext_workers SET last_heartbeat = now(), jobs_done = ?, models = ?, stopped_at = NULL
             WHERE worker_id = ?
            """;

    static final String TOUCH_MODELS = "UPDATE steadytext_models SET last_seen = now() WHERE fingerprint = ANY(?)";

    static final String PAUSED = "SELECT value = 'true'::jsonb FROM steadytext_config WHERE key = 'worker_paused'";

    static final String DEREGISTER_WORKER = "UPDATE steadytext_workers SET stopped_at = now() WHERE worker_id = ?";

    /*
     * Streaming jobs' output (080-streaming.sql). A caller reading a stream holds a shared transaction-level advisory
     * lock on (1398035284, hashtext(cache_key)) for as long as its statement runs; it is gone when the caller's
     * transaction ends, however it ends (finished, cancelled, disconnected). The worker's try for the exclusive lock
     * fails exactly while some caller holds it: that is how it learns, in the same round trip as each write, whether
     * anyone still reads. The try's own lock lasts only as long as the statement's transaction.
     */

    /**
     * Begins a stream: discards output left by an earlier attempt, and by streams whose jobs ended without a worker to
     * clean up after them (a crash); answers whether the job is still this worker's and someone reads it.
     */
    static final String STREAM_BEGIN = """
            WITH cleared AS (
                DELETE FROM steadytext_stream_chunks c
                 WHERE c.request_id = ?                                     -- this job: an earlier attempt's output
                    OR NOT EXISTS (SELECT 1 FROM steadytext_queue q
                                   WHERE q.request_id = c.request_id AND q.status IN ('pending', 'processing')))
            SELECT EXISTS (SELECT 1 FROM steadytext_queue
                            WHERE request_id = ? AND worker_id = ? AND status = 'processing')  -- request, worker
               AND NOT pg_try_advisory_xact_lock(1398035284, hashtext(?))                      -- cache key
            """;

    /**
     * Appends a piece of output, if the job is still this worker's and someone reads it, and wakes the readers;
     * answers whether it was written. A piece at a position already written (a retried write) replaces it.
     */
    static final String STREAM_PUBLISH = """
            WITH job AS (
                SELECT request_id FROM steadytext_queue
                 WHERE request_id = ? AND worker_id = ? AND status = 'processing'      -- request, worker
                   AND NOT pg_try_advisory_xact_lock(1398035284, hashtext(?))),        -- cache key: a reader holds it
            written AS (
                INSERT INTO steadytext_stream_chunks (request_id, pos, chunk)
                SELECT j.request_id, ?, ? FROM job j                                   -- position, text
                ON CONFLICT (request_id, pos) DO UPDATE SET chunk = EXCLUDED.chunk
                RETURNING request_id)
            SELECT count(pg_notify('steadytext_stream', w.request_id::text)) > 0 FROM written w
            """;

    /** Cancels a streaming job this worker still holds, discards its output, and wakes whoever waits for it. */
    static final String STREAM_ABANDON = """
            WITH cancelled AS (
                UPDATE steadytext_queue
                   SET status = 'cancelled', error = ?, completed_at = clock_timestamp(), lease_until = NULL  -- reason
                 WHERE request_id = ? AND worker_id = ? AND status = 'processing'                           -- request, worker
                RETURNING request_id),
            cleared AS (DELETE FROM steadytext_stream_chunks WHERE request_id = ?)                        -- request
            SELECT count(pg_notify('steadytext_done', c.request_id::text)) FROM cancelled c
            """;

    static final String STREAM_END = "DELETE FROM steadytext_stream_chunks WHERE request_id = ?";
}
