package dev.steadytext.models.loader.internal;

/**
 * The loader's SQL over {@code steadytext_model_requests} (095-models.sql); each bind parameter is commented with
 * its column. Tables are unqualified: the platform's connections have the schema as their current schema.
 */
final class Queries {

    private Queries() {}

    static final String LISTEN = "LISTEN steadytext_model_requests";

    /** A worker is live while its heartbeat is fresh, as steadytext_worker_status() counts them. */
    private static final String LIVE_WORKER = "w.stopped_at IS NULL AND w.last_heartbeat >= clock_timestamp()"
            + " - coalesce((SELECT (c.value #>> '{}')::float8 FROM steadytext_config c"
            + " WHERE c.key = 'worker_stale_seconds'), 15) * interval '1 second'";

    /**
     * Fails requests no worker took in time and wakes their callers: a worker started much later should not load a
     * model nobody waits for any more.
     */
    static final String EXPIRE = """
            WITH expired AS (
                UPDATE steadytext_model_requests
                   SET status = 'failed', error = ?, error_code = '57014',    -- error
                       completed_at = clock_timestamp(), updated_at = clock_timestamp()
                 WHERE status = 'pending' AND created_at < clock_timestamp() - ? * interval '1 second'  -- max age
             RETURNING request_id)
            SELECT count(pg_notify('steadytext_done', request_id::text)) FROM expired
            """;

    /**
     * Claims the oldest pending request, or one left loading by a worker that is gone, or by this one (its answer could
     * not be written: the loader claims only when it loads nothing).
     */
    static final String CLAIM = """
            UPDATE steadytext_model_requests r
               SET status = 'loading', worker_id = ?, started_at = clock_timestamp(),    -- worker_id
                   updated_at = clock_timestamp(), progress = 'claimed'
             WHERE r.request_id = (
                   SELECT q.request_id FROM steadytext_model_requests q
                    WHERE q.status = 'pending'
                       OR (q.status = 'loading' AND q.worker_id = ?)                      -- worker_id
                       OR (q.status = 'loading' AND NOT EXISTS (
                              SELECT 1 FROM steadytext_workers w WHERE w.worker_id = q.worker_id AND %s))
                    ORDER BY q.created_at
                    LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING r.request_id, r.kind, r.model, r.model_repo, r.model_filename, r.size, r.may_download
            """.formatted(LIVE_WORKER);

    /** Records where a load stands; byte counts given as NULL keep the last ones (a step after the download). */
    static final String PROGRESS = """
            UPDATE steadytext_model_requests
               SET progress = ?, bytes_done = coalesce(?, bytes_done), bytes_total = coalesce(?, bytes_total),
                   updated_at = clock_timestamp()                                         -- progress, bytes
             WHERE request_id = ? AND worker_id = ? AND status = 'loading'                -- request, worker
            """;

    /**
     * Marks a request ready and wakes its callers, in one transaction with listing the model among the worker's
     * (its next heartbeat would, a second or two later): callers check that a live worker serves what they key to.
     */
    static final String READY = """
            WITH listed AS (
                UPDATE steadytext_workers SET models = array_append(models, ?)     -- fingerprint
                 WHERE worker_id = ? AND NOT (? = ANY (models))),                  -- worker, fingerprint
            ready AS (
                UPDATE steadytext_model_requests
                   SET status = 'ready', fingerprint = ?, model_name = ?, progress = ?,  -- fingerprint, name, progress
                       completed_at = clock_timestamp(), updated_at = clock_timestamp()
                 WHERE request_id = ? AND worker_id = ? AND status = 'loading'          -- request, worker
             RETURNING request_id)
            SELECT count(pg_notify('steadytext_done', request_id::text)) FROM ready
            """;

    /**
     * Fails a request and wakes its callers. A refused download only fails while no caller who may download has
     * joined meanwhile (the last parameter false); the answer says whether the request failed.
     */
    static final String FAIL = """
            WITH failed AS (
                UPDATE steadytext_model_requests
                   SET status = 'failed', error = ?, error_code = ?, progress = NULL,   -- error, error_code
                       completed_at = clock_timestamp(), updated_at = clock_timestamp()
                 WHERE request_id = ? AND worker_id = ? AND status = 'loading'         -- request, worker
                   AND (? OR NOT may_download)                                          -- unconditional
             RETURNING request_id)
            SELECT count(pg_notify('steadytext_done', request_id::text)) FROM failed
            """;

    /** Hands a request back when the worker stops during its load: another worker (or the next start) takes it. */
    static final String RELEASE = """
            UPDATE steadytext_model_requests
               SET status = 'pending', worker_id = NULL, progress = NULL, updated_at = clock_timestamp()
             WHERE request_id = ? AND worker_id = ? AND status = 'loading'          -- request, worker
            """;
}
