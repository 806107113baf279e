--liquibase formatted sql

-- Streaming generation: steadytext_generate_stream(same arguments as steadytext_generate) -> setof text, and its
-- st_* alias. Rows reach the client while the worker still generates; their concatenation is steadytext_generate's
-- result for the same arguments, byte for byte; a cached result streams too (in word-sized rows).
--
-- Why this shape. A PL/pgSQL set-returning function always materialises its result (no row leaves before it returns),
-- and so does a function in FROM, with one exception: a SQL function that the planner inlines (LANGUAGE sql, not
-- VOLATILE, not STRICT, not SECURITY DEFINER, no SET clause, one SELECT). steadytext_generate_stream is such a
-- function. Its body is a recursive CTE whose recursive term calls _steadytext_stream_next once per step; each call
-- waits until the worker has published more text (or the job ended) and returns it, and the recursive union hands
-- those rows on before it takes the next step. It is declared STABLE only so that it can be inlined: the functions it
-- calls are VOLATILE and do the work. Called in the SELECT list instead of FROM, it is not inlined, but a SQL
-- function returning a set is then evaluated lazily, one row per call, so its rows stream that way too.
--
-- The job. A stream is an ordinary 'generate' job with params.stream = true, enqueued through the same loopback as
-- steadytext_generate (_steadytext_submit), keyed by the same cache key: it coalesces with an identical job in flight,
-- and its completion fills the cache for both functions (a stream that joins a plain job in flight gets that job's
-- text when it completes, in one go). The worker publishes what it has generated so far into
-- steadytext_stream_chunks (every ~50 ms, with NOTIFY steadytext_stream), always a prefix of the final, trimmed
-- result; positions count characters, so a reader resumes anywhere, across retries too. When the job completes, the
-- reader takes whatever it has not yet returned from the job's result, and the worker deletes the chunks.
--
-- The readers, and cancelling. A reader holds a shared transaction-level advisory lock on (1398035284,
-- hashtext(cache_key)), taken before it enqueues, until its transaction ends. The worker tries the exclusive lock with
-- every piece it publishes: it gets it only when no reader is left (the statement was cancelled, timed out, or its
-- connection dropped: the transaction ended and PostgreSQL released the lock), and then stops and cancels the job. (A
-- client that stops fetching but keeps its transaction open keeps the job alive; it ends at max_tokens, cached.) A reader that
-- catches query_canceled (pg_cancel_backend, statement_timeout, a client's cancel, or the stall timeout below) also
-- cancels a streaming job right away through the loopback, unless another reader still holds the lock. Only jobs
-- enqueued as streams are ever cancelled this way: a stream that joined a plain steadytext_generate job leaves it
-- alone. (A plain call that joined a stream's job gets 57014 if every reader of that stream gives up.)
-- The lock's class 1398035284 ('STST') is reserved for this; applications should not use it.
--
-- Timeout: a stream fails with 57014 when no new text arrives for steadytext.sync_timeout (as steadytext_generate
-- waits), and then cancels its job.

--changeset steadytext:080-streaming-tables
-- Unlogged: chunks live seconds, and a crash that loses them also ends every session reading them.
CREATE UNLOGGED TABLE ${schema}.steadytext_stream_chunks (
    request_id uuid NOT NULL,
    pos        int  NOT NULL,              -- where chunk starts in the job's result, in characters (0-based)
    chunk      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (request_id, pos)
);
--rollback DROP TABLE ${schema}.steadytext_stream_chunks;

--changeset steadytext:080-streaming runOnChange:true splitStatements:false
-- A text as the rows of a stream: a word with the whitespace before it, each (the concatenation is the text).
CREATE OR REPLACE FUNCTION ${schema}._steadytext_stream_pieces(text_value text)
RETURNS SETOF text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT m[1] FROM regexp_matches($1, '(\s*\S+|\s+$)', 'g') AS m
$fn$;

-- The start of a stream: validation (steadytext_generate's, with its SQLSTATEs), the cache, else the job through the
-- loopback. Rows: a cached result's pieces (done), or one state row for _steadytext_stream_next (chunk NULL).
-- model_repo and model_filename came later (streams ignored them): the old signature goes.
DROP FUNCTION IF EXISTS ${schema}._steadytext_stream_start(text, int, boolean, int, text, text, text, boolean);
CREATE OR REPLACE FUNCTION ${schema}._steadytext_stream_start(
    prompt text, max_tokens int, use_cache boolean, seed int, eos_string text, model text, size text,
    unsafe_mode boolean, model_repo text, model_filename text)
RETURNS TABLE (stream_request uuid, stream_key text, emitted int, done boolean, chunk text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    r record;
    v_result text;
    s ${schema}.steadytext_job_state;
BEGIN
    r := ${schema}._steadytext_generation_request('steadytext_generate_stream', prompt, max_tokens,
        use_cache, seed, eos_string, model, size, unsafe_mode, true, model_repo, model_filename);
    IF use_cache THEN
        SELECT c.response INTO v_result FROM ${schema}.steadytext_cache c WHERE c.cache_key = r.cache_key;
        IF current_setting('transaction_read_only') = 'off' THEN
            INSERT INTO ${schema}.steadytext_cache_access (cache_key, kind, hit) VALUES (r.cache_key, 'generation', FOUND);
        END IF;
        IF v_result IS NOT NULL THEN
            RETURN QUERY SELECT NULL::uuid, NULL::text, NULL::int, true, p FROM ${schema}._steadytext_stream_pieces(v_result) AS p;
            RETURN;
        END IF;
    END IF;
    -- Held until the caller's transaction ends: the worker's sign that someone reads (see the top of this file).
    PERFORM pg_advisory_xact_lock_shared(1398035284, hashtext(r.cache_key));
    PERFORM ${dblink}.dblink_exec(${schema}._steadytext_loopback(), 'LISTEN steadytext_stream; LISTEN steadytext_done');
    SELECT * INTO s FROM ${schema}._steadytext_submit(jsonb_build_array(jsonb_build_object(
        'type', 'generate', 'model', r.model_fingerprint, 'use_cache', use_cache, 'cache_key', r.cache_key,
        'prompt', prompt, 'requester', session_user,
        'max_attempts', current_setting('steadytext.s_max_attempts')::int,
        'params', jsonb_build_object('max_tokens', r.effective_max_tokens, 'seed', seed, 'eos_string', eos_string,
                                     'stream', true))));
    IF s.status = 'cached' THEN
        RETURN QUERY SELECT NULL::uuid, NULL::text, NULL::int, true, p FROM ${schema}._steadytext_stream_pieces(s.result) AS p;
        RETURN;
    END IF;
    RETURN QUERY SELECT s.request_id, r.cache_key, 0, false, NULL::text;
END
$fn$;

-- What a reader that has returned emitted characters gets next: the job's status and error, and the text it has not
-- returned yet with the new count. From the chunks while the job runs (only a run without gaps from emitted on), from
-- the result once it completed. A job is found by its id and cache key together.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_stream_poll(request_id uuid, cache_key text, emitted int)
RETURNS TABLE (status text, error text, piece text, emitted_after int)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_result text;
    c record;
BEGIN
    SELECT q.status, q.error, q.result INTO status, error, v_result FROM ${schema}.steadytext_queue q
    WHERE q.request_id = _steadytext_stream_poll.request_id AND q.cache_key = _steadytext_stream_poll.cache_key;
    piece := '';
    emitted_after := emitted;
    IF status = 'completed' THEN
        piece := substr(v_result, emitted + 1);
        emitted_after := greatest(emitted, length(v_result));
    ELSIF status IN ('pending', 'processing') THEN
        FOR c IN SELECT k.pos, k.chunk FROM ${schema}.steadytext_stream_chunks k
                 WHERE k.request_id = _steadytext_stream_poll.request_id AND k.pos + length(k.chunk) > emitted
                 ORDER BY k.pos LOOP
            EXIT WHEN c.pos > emitted_after;
            IF c.pos + length(c.chunk) > emitted_after THEN
                piece := piece || substr(c.chunk, emitted_after - c.pos + 1);
                emitted_after := c.pos + length(c.chunk);
            END IF;
        END LOOP;
    END IF;
    RETURN NEXT;
END
$fn$;

-- Cancels a streaming job that no other reader holds (run in the loopback session, on behalf of reader_pid), and
-- wakes whoever waits for it. Plain jobs are never touched.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_stream_cancel(request_id uuid, cache_key text, reader_pid int)
RETURNS int LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
    WITH cancelled AS (
        UPDATE ${schema}.steadytext_queue q
           SET status = 'cancelled', error = 'cancelled: its streaming caller stopped reading',
               completed_at = clock_timestamp(), lease_until = NULL
         WHERE q.request_id = $1 AND q.cache_key = $2 AND q.status IN ('pending', 'processing')
           AND coalesce((q.params ->> 'stream')::boolean, false)
           AND NOT EXISTS (SELECT 1 FROM pg_locks l
                           WHERE l.locktype = 'advisory' AND l.objsubid = 2
                             AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
                             AND l.classid = 1398035284::oid AND l.objid = hashtext($2)::oid AND l.pid <> $3)
        RETURNING q.request_id)
    SELECT count(pg_notify('steadytext_done', c.request_id::text))::int FROM cancelled c
$fn$;

-- The next rows of a stream: waits until the job has published more text, or ended, and returns that text as pieces
-- (done) followed by the new state row (chunk NULL), or raises as steadytext_generate would (P0001 failed, 57014
-- cancelled or no progress within the sync timeout). READ COMMITTED readers read directly: each statement of this
-- VOLATILE function sees the worker's latest commit. Other isolation levels read through the loopback.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_stream_next(request_id uuid, cache_key text, emitted int)
RETURNS TABLE (stream_request uuid, stream_key text, emitted_after int, done boolean, chunk text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    -- As _steadytext_await: naps of 1 ms that read notifications from the loopback socket, and a poll after at most
    -- v_silent_poll in case a notification never came.
    v_silent_poll constant interval := interval '20 milliseconds';
    v_timeout interval := ${schema}._steadytext_sync_timeout();
    v_deadline timestamptz := clock_timestamp() + v_timeout;
    v_local boolean := current_setting('transaction_isolation') = 'read committed';
    v_conn text := ${schema}._steadytext_loopback();
    v_id text := request_id::text;
    v_sql text := format('SELECT * FROM ${schema}._steadytext_stream_poll(%L, %L, %s)', request_id, cache_key, emitted);
    v_poll_at timestamptz;
    p record;
BEGIN
    IF request_id IS NULL OR cache_key IS NULL OR emitted IS NULL THEN
        RAISE EXCEPTION 'steadytext_generate_stream: request_id, cache_key and emitted must not be NULL'
            USING ERRCODE = '22004';
    END IF;
    LOOP
        IF v_local THEN
            SELECT * INTO p FROM ${schema}._steadytext_stream_poll(request_id, cache_key, emitted) AS t;
        ELSE
            SELECT * INTO p FROM ${dblink}.dblink(v_conn, v_sql)
                AS t(status text, error text, piece text, emitted_after int);
        END IF;
        CASE p.status
            WHEN 'completed' THEN
                PERFORM ${dblink}.dblink_exec(v_conn, 'UNLISTEN steadytext_stream; UNLISTEN steadytext_done');
                RETURN QUERY SELECT NULL::uuid, NULL::text, NULL::int, true, x
                    FROM ${schema}._steadytext_stream_pieces(p.piece) AS x;
                RETURN;
            WHEN 'pending', 'processing' THEN
                IF p.piece <> '' THEN
                    RETURN QUERY SELECT NULL::uuid, NULL::text, NULL::int, true, x
                        FROM ${schema}._steadytext_stream_pieces(p.piece) AS x;
                    RETURN QUERY SELECT _steadytext_stream_next.request_id, _steadytext_stream_next.cache_key,
                        p.emitted_after, false, NULL::text;
                    RETURN;
                END IF;
            WHEN 'failed' THEN
                PERFORM ${dblink}.dblink_exec(v_conn, 'UNLISTEN steadytext_stream; UNLISTEN steadytext_done');
                RAISE EXCEPTION 'steadytext_generate_stream: request % failed: %', request_id, p.error
                    USING ERRCODE = 'P0001';
            WHEN 'cancelled' THEN
                RAISE EXCEPTION 'steadytext_generate_stream: request % was cancelled', request_id USING ERRCODE = '57014';
            ELSE
                RAISE EXCEPTION 'steadytext_generate_stream: request % does not exist', request_id
                    USING ERRCODE = '55000';
        END CASE;
        IF clock_timestamp() >= v_deadline THEN
            RAISE EXCEPTION '%', format('steadytext_generate_stream: no new text of request %s within %s; the '
                    || 'request is cancelled', request_id, v_timeout)
                USING ERRCODE = '57014',
                      HINT = 'Start the SteadyText platform, or wait longer with SET steadytext.sync_timeout = ''60s''.';
        END IF;
        v_poll_at := least(v_deadline, clock_timestamp() + v_silent_poll);
        LOOP
            PERFORM pg_sleep(0.0005);  -- 1 ms: see _steadytext_poll_pause
            EXIT WHEN EXISTS (SELECT 1 FROM ${dblink}.dblink_get_notify(v_conn) AS n
                              WHERE n.notify_name IN ('steadytext_stream', 'steadytext_done') AND n.extra = v_id)
                   OR clock_timestamp() >= v_poll_at;
        END LOOP;
    END LOOP;
EXCEPTION WHEN query_canceled THEN
    -- Cancelled, timed out, or the job was cancelled: stop the work at once rather than at the worker's next piece.
    -- Best effort: if the loopback is unusable (the cancel interrupted a call on it), the worker still notices the
    -- released lock; the broken connection is dropped so that the next call opens a fresh one.
    BEGIN
        PERFORM ${dblink}.dblink_exec(v_conn, format('SELECT ${schema}._steadytext_stream_cancel(%L, %L, %s); '
            || 'UNLISTEN steadytext_stream; UNLISTEN steadytext_done', request_id, cache_key, pg_backend_pid()));
    EXCEPTION WHEN OTHERS THEN
        BEGIN
            PERFORM ${dblink}.dblink_disconnect(v_conn);
        EXCEPTION WHEN OTHERS THEN
            NULL;
        END;
    END;
    RAISE;
END
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.steadytext_generate_stream(
    prompt text, max_tokens int DEFAULT NULL, use_cache boolean DEFAULT true, seed int DEFAULT 42,
    eos_string text DEFAULT '[EOS]', model text DEFAULT NULL, model_repo text DEFAULT NULL,
    model_filename text DEFAULT NULL, size text DEFAULT NULL, unsafe_mode boolean DEFAULT false)
RETURNS SETOF text LANGUAGE sql STABLE
AS $fn$
    WITH RECURSIVE s AS (
        SELECT st.* FROM ${schema}._steadytext_stream_start($1, $2, $3, $4, $5, $6, $9, $10, $7, $8) AS st
      UNION ALL
        SELECT nx.* FROM s CROSS JOIN LATERAL ${schema}._steadytext_stream_next(s.stream_request, s.stream_key, s.emitted) AS nx
        WHERE NOT s.done)
    SELECT s.chunk FROM s WHERE s.chunk IS NOT NULL
$fn$;

-- The st_* alias, inlinable like the function itself.
CREATE OR REPLACE FUNCTION ${schema}.st_generate_stream(
    prompt text, max_tokens int DEFAULT NULL, use_cache boolean DEFAULT true, seed int DEFAULT 42,
    eos_string text DEFAULT '[EOS]', model text DEFAULT NULL, model_repo text DEFAULT NULL,
    model_filename text DEFAULT NULL, size text DEFAULT NULL, unsafe_mode boolean DEFAULT false)
RETURNS SETOF text LANGUAGE sql STABLE
AS $fn$ SELECT * FROM ${schema}.steadytext_generate_stream($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) $fn$;

--changeset steadytext:080-streaming-privileges runOnChange:true splitStatements:false
-- Privileges of this file's objects, as 050-roles.sql grants the others'. The two entry points the invoker function
-- steadytext_generate_stream calls are executable by everyone who may call it, like the hit path's (_start validates
-- its arguments as steadytext_generate does; _next finds a job only by its id and cache key together); 050-roles.sql
-- lists them too, so that running it again does not revoke them. The other helpers are for their callers only.
DO $do$
DECLARE
    v_fn regprocedure;
    v_name text;
    v_has_user boolean := EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steadytext_user');
BEGIN
    FOR v_fn, v_name IN
        SELECT p.oid::regprocedure, p.proname FROM pg_proc p WHERE p.pronamespace = '${schema}'::regnamespace
          AND p.proname IN ('steadytext_generate_stream', 'st_generate_stream', '_steadytext_stream_start',
              '_steadytext_stream_next', '_steadytext_stream_poll', '_steadytext_stream_cancel',
              '_steadytext_stream_pieces')
    LOOP
        IF v_name IN ('_steadytext_stream_poll', '_steadytext_stream_cancel', '_steadytext_stream_pieces') THEN
            EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', v_fn);
        ELSE
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO PUBLIC', v_fn);
            IF v_has_user THEN
                EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO steadytext_user', v_fn);
            END IF;
        END IF;
    END LOOP;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steadytext_worker') THEN
        EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON ${schema}.steadytext_stream_chunks TO steadytext_worker';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steadytext_admin') THEN
        EXECUTE 'GRANT SELECT ON ${schema}.steadytext_stream_chunks TO steadytext_admin';
    END IF;
END
$do$;
