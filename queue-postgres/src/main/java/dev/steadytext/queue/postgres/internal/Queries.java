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
     * ran out (their worker died). SKIP LOCKED lets concurrent workers claim disjoint sets without waiting.
     */
    static final String CLAIM = """
            WITH candidates AS (
                SELECT request_id FROM steadytext_queue
                WHERE ((status = 'pending' AND run_after <= now())
                       OR (status = 'processing' AND lease_until < now() AND attempts < max_attempts))
                  AND request_type = ANY(?)          -- request types this worker serves
                  AND model_fingerprint = ANY(?)     -- models this worker has loaded
                ORDER BY priority, created_at
                LIMIT ?
                FOR UPDATE SKIP LOCKED)
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
                      q.params->>'eos_string', q.attempts, q.created_at
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

    /** One cache row per computed input; an existing row (another worker was faster) is kept. */
    static final String INSERT_CACHE = """
            INSERT INTO steadytext_cache (cache_key, kind, model_fingerprint, model_name, prompt, response, embedding,
                                          seed, eos_string, generation_params, response_size, generation_time_ms)
            VALUES (?,                                -- cache_key
                    ?,                                -- kind
                    ?,                                -- model_fingerprint
                    (SELECT name FROM steadytext_models WHERE fingerprint = ?),  -- model_name
                    ?,                                -- prompt: the input
                    ?,                                -- response (generation)
                    ?,                                -- embedding
                    ?,                                -- seed
                    ?,                                -- eos_string
                    ?::jsonb,                         -- generation_params
                    ?,                                -- response_size in bytes
                    ?)                                -- generation_time_ms
            ON CONFLICT (cache_key) DO NOTHING
            """;

    /** Completes a job this worker still holds; a cancelled or taken-over job is left alone. */
    static final String COMPLETE = """
            UPDATE steadytext_queue
               SET status = 'completed',
                   result = ?,                       -- generated text
                   embedding = ?,                    -- embed
                   embeddings = ?,                   -- embed_batch, one row per input
                   completed_at = clock_timestamp(),
                   processing_time_ms = ?,
                   lease_until = NULL
             WHERE request_id = ? AND worker_id = ? AND status = 'processing'
            """;

    static final String NOTIFY_DONE = "SELECT pg_notify('steadytext_done', id) FROM unnest(?::text[]) AS id";

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
}
