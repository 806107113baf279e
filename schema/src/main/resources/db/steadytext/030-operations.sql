--liquibase formatted sql

-- Cache statistics and keys, configuration, version, workers and the daemon functions.

--changeset steadytext:030-operations runOnChange:true splitStatements:false
-- steadytext_cache_stats() is in 070-eviction.sql: it reports the eviction counters and budgets defined there.

-- Deletes cached results of one kind ('generation', 'embedding', 'reranking') or all; returns how many. Admin only.
CREATE OR REPLACE FUNCTION ${schema}.steadytext_cache_clear(kind text DEFAULT 'all')
RETURNS bigint LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_count bigint;
BEGIN
    IF kind IS NULL THEN
        RAISE EXCEPTION 'steadytext_cache_clear: kind must not be NULL' USING ERRCODE = '22004';
    ELSIF kind NOT IN ('all', 'generation', 'embedding', 'reranking') THEN
        RAISE EXCEPTION 'steadytext_cache_clear: kind must be all, generation, embedding or reranking, not "%"', kind
            USING ERRCODE = '22023';
    END IF;
    -- The access log first, then the entries: the order the leader's fold locks them in (it takes the log, then
    -- updates the entries it names). The other order deadlocked with a fold running at the same moment.
    DELETE FROM ${schema}.steadytext_cache_access x WHERE steadytext_cache_clear.kind = 'all' OR x.kind = steadytext_cache_clear.kind;
    DELETE FROM ${schema}.steadytext_cache c WHERE steadytext_cache_clear.kind = 'all' OR c.kind = steadytext_cache_clear.kind;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END
$fn$;

-- The cache key steadytext_generate uses for these arguments (model: a name, a fingerprint, or NULL for the default).
CREATE OR REPLACE FUNCTION ${schema}.steadytext_cache_key(
    prompt text, max_tokens int DEFAULT NULL, seed int DEFAULT 42, eos_string text DEFAULT '[EOS]',
    model text DEFAULT NULL)
RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    r record;
BEGIN
    SELECT * INTO r FROM ${schema}._steadytext_generation_request('steadytext_cache_key', prompt, max_tokens, true,
        seed, eos_string, model, NULL, false, true);
    RETURN r.cache_key;
END
$fn$;

-- The cache key steadytext_embed uses for this text.
CREATE OR REPLACE FUNCTION ${schema}.steadytext_embed_cache_key(text_input text, model text DEFAULT NULL)
RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    r record;
BEGIN
    SELECT * INTO r FROM ${schema}._steadytext_embedding_request('steadytext_embed_cache_key', 'text_input',
        text_input, true, 42, model, false, true);
    RETURN r.cache_key;
END
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.steadytext_config_get(key text)
RETURNS jsonb LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT c.value FROM ${schema}.steadytext_config c WHERE c.key = $1
$fn$;

-- Sets a value, keeping its JSON type. Admin only.
CREATE OR REPLACE FUNCTION ${schema}.steadytext_config_set(key text, value jsonb)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF key IS NULL OR key = '' THEN
        RAISE EXCEPTION 'steadytext_config_set: key must not be NULL or empty' USING ERRCODE = '22004';
    ELSIF value IS NULL THEN
        RAISE EXCEPTION 'steadytext_config_set: value must not be NULL (use ''null'' for JSON null)' USING ERRCODE = '22004';
    END IF;
    INSERT INTO ${schema}.steadytext_config AS c (key, value, updated_at)
    VALUES (steadytext_config_set.key, steadytext_config_set.value, now())
    ON CONFLICT ON CONSTRAINT steadytext_config_pkey
    DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at;
    -- This session sees its own change at once; others within session_cache_seconds.
    PERFORM set_config('steadytext.s_until', '', false);
END
$fn$;

-- Text that is valid JSON keeps its JSON type ('false' is a boolean, '30' a number); other text is stored as a JSON
-- string. (pg_steadytext stored every value as a string, so 'false' was truthy.)
CREATE OR REPLACE FUNCTION ${schema}.steadytext_config_set(key text, value text)
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v jsonb;
BEGIN
    IF value IS NULL THEN
        RAISE EXCEPTION 'steadytext_config_set: value must not be NULL (use ''null'' for JSON null)' USING ERRCODE = '22004';
    END IF;
    BEGIN
        v := value::jsonb;
    EXCEPTION WHEN invalid_text_representation THEN
        v := to_jsonb(value);
    END;
    PERFORM ${schema}.steadytext_config_set(key, v);
END
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.steadytext_version()
RETURNS text LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT 'steadytext-postgres ${version}'::text
$fn$;

-- Live workers: heartbeat within config worker_stale_seconds (default 15) and not stopped. models lists the names
-- of the models each serves.
CREATE OR REPLACE FUNCTION ${schema}.steadytext_worker_status()
RETURNS TABLE (worker_id uuid, host text, pid bigint, started_at timestamptz, last_heartbeat timestamptz,
               jobs_done bigint, models text[])
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT w.worker_id, w.host, w.pid, w.started_at, w.last_heartbeat, w.jobs_done,
           ARRAY(SELECT coalesce(m.name, f.fp) FROM unnest(w.models) WITH ORDINALITY AS f(fp, o)
                 LEFT JOIN ${schema}.steadytext_models m ON m.fingerprint = f.fp ORDER BY f.o)
    FROM ${schema}.steadytext_workers w
    WHERE w.stopped_at IS NULL
      AND w.last_heartbeat >= clock_timestamp() - coalesce((SELECT (c.value #>> '{}')::float8
            FROM ${schema}.steadytext_config c WHERE c.key = 'worker_stale_seconds'), 15) * interval '1 second'
    ORDER BY w.started_at, w.worker_id
$fn$;

-- pg_steadytext's daemon view over our workers: one row per live worker (status running or paused), or one row
-- with status stopped when none is live.
CREATE OR REPLACE FUNCTION ${schema}.steadytext_daemon_status()
RETURNS TABLE (daemon_id text, status text, endpoint text, last_heartbeat timestamptz, uptime_seconds int)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_paused boolean := coalesce((SELECT (c.value #>> '{}')::boolean FROM ${schema}.steadytext_config c
                                  WHERE c.key = 'worker_paused'), false);
BEGIN
    RETURN QUERY
        SELECT w.worker_id::text, CASE WHEN v_paused THEN 'paused' ELSE 'running' END,
               w.host || ':' || w.pid, w.last_heartbeat,
               extract(epoch FROM clock_timestamp() - w.started_at)::int
        FROM ${schema}.steadytext_worker_status() w;
    IF NOT FOUND THEN
        RETURN QUERY SELECT NULL::text, 'stopped'::text, NULL::text, NULL::timestamptz, NULL::int;
    END IF;
END
$fn$;

-- Pause and resume processing. Workers read worker_paused with every heartbeat; no process is started or stopped
-- from SQL. Admin only.
CREATE OR REPLACE FUNCTION ${schema}.steadytext_daemon_stop()
RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    PERFORM ${schema}.steadytext_config_set('worker_paused', 'true'::jsonb);
    RETURN true;
END
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.steadytext_daemon_start()
RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    PERFORM ${schema}.steadytext_config_set('worker_paused', 'false'::jsonb);
    RETURN true;
END
$fn$;
