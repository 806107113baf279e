--liquibase formatted sql

-- Cache eviction: budgets per cache kind, the change feed the eviction service learns from, the policies' saved
-- state, the eviction history, and the SQL functions over them.
--
-- Who does what. The eviction policies (LRU, LFU, frecency, ARC, plug-ins) live in the worker platform, not in SQL:
-- one worker at a time leads (an advisory lock on a session it holds), folds the access log into the entries'
-- statistics, feeds every insert, hit, miss and removal to its policy's trackers, and keeps each kind within its
-- budget by deleting the policy's victims in small batches. SQL callers reach it through
-- steadytext_eviction_requests (steadytext_cache_evict, steadytext_cache_preview_eviction,
-- steadytext_cache_scheduled_eviction): the request is inserted through the dblink loopback, so the leader sees it
-- while the caller waits, as synchronous generation does. steadytext_cache_evict_by_age and _by_frecency are
-- pg_steadytext's SQL-only evictions and need no worker.
--
-- Budgets (steadytext_config, JSON values): cache_max_entries and cache_max_size_mb apply to each kind;
-- cache_max_entries_<kind> and cache_max_size_mb_<kind> override them for one kind. A number bounds; JSON null in the
-- per-kind keys means "as the all-kinds key", in the all-kinds keys "unbounded"; the string "unbounded" is unbounded
-- everywhere. Defaults 10,000 entries and 1,000 MB per kind, pg_steadytext's figures (its budget covered one table
-- for everything; ours applies to each kind, so that cheap embeddings cannot crowd out slow generations).
-- Sizes are octet_length(prompt) + response_size, as steadytext_cache_stats counts them.

--changeset steadytext:070-eviction-tables
-- What the policies' trackers show per entry (their describe()), written by the leader with the access statistics.
ALTER TABLE ${schema}.steadytext_cache ADD COLUMN policy_meta text;
ALTER TABLE ${schema}.steadytext_cache_counters
    ADD COLUMN evictions bigint NOT NULL DEFAULT 0,
    ADD COLUMN evicted_bytes bigint NOT NULL DEFAULT 0;

-- Every insert into and removal from steadytext_cache, whoever made it, for the leader to replay in order; it
-- deletes what it has read. Filled by statement-level triggers (below), so a batch of cache rows costs one INSERT
-- here. The leader's own evictions are not recorded: it applies them as it makes them. 'clear' is a TRUNCATE.
CREATE TABLE ${schema}.steadytext_cache_changes (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    change     text NOT NULL CHECK (change IN ('insert', 'delete', 'clear')),
    kind       text,
    cache_key  text,
    size_bytes bigint,
    compute_ms bigint,
    changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK ((change = 'clear') = (cache_key IS NULL))
);

-- Each kind's tracker as the leader last saved it (every few seconds and when it stops), so that a restart resumes
-- what the policy learned instead of starting over. The format is the policy's own.
CREATE TABLE ${schema}.steadytext_eviction_state (
    kind     text PRIMARY KEY,
    policy   text NOT NULL,
    snapshot bytea NOT NULL,
    entries  bigint NOT NULL,
    bytes    bigint NOT NULL,
    saved_at timestamptz NOT NULL DEFAULT now()
);

-- The policies the leading worker can run, as it last saw them (plug-ins come and go).
CREATE TABLE ${schema}.steadytext_eviction_policies (
    name        text PRIMARY KEY,
    description text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per eviction round that evicted something: budget (the leader keeping a kind within budget), manual
-- (steadytext_cache_evict and the SQL-only evictions), scheduled (steadytext_cache_scheduled_eviction).
CREATE TABLE ${schema}.steadytext_eviction_log (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at     timestamptz NOT NULL,
    duration_ms    float8 NOT NULL,
    kind           text NOT NULL,
    policy         text NOT NULL,
    trigger        text NOT NULL CHECK (trigger IN ('budget', 'manual', 'scheduled')),
    entries_before bigint NOT NULL,
    entries_after  bigint NOT NULL,
    bytes_before   bigint NOT NULL,
    bytes_after    bigint NOT NULL,
    evicted        bigint NOT NULL,
    evicted_bytes  bigint NOT NULL,
    request_id     uuid
);
CREATE INDEX steadytext_eviction_log_started ON ${schema}.steadytext_eviction_log (started_at);

-- Requests from SQL callers to the leading worker, and its answers (result is the function's JSON).
CREATE TABLE ${schema}.steadytext_eviction_requests (
    request_id  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    action      text NOT NULL CHECK (action IN ('evict', 'preview')),
    args        jsonb NOT NULL DEFAULT '{}',
    status      text NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'running', 'done', 'failed', 'cancelled')),
    result      jsonb,
    error       text,
    error_code  text,
    requester   name NOT NULL DEFAULT session_user,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    started_at  timestamptz,
    finished_at timestamptz
);
CREATE INDEX steadytext_eviction_requests_pending ON ${schema}.steadytext_eviction_requests (created_at)
    WHERE status = 'pending';
--rollback DROP TABLE ${schema}.steadytext_eviction_requests, ${schema}.steadytext_eviction_log, ${schema}.steadytext_eviction_policies, ${schema}.steadytext_eviction_state, ${schema}.steadytext_cache_changes; ALTER TABLE ${schema}.steadytext_cache_counters DROP COLUMN evicted_bytes, DROP COLUMN evictions; ALTER TABLE ${schema}.steadytext_cache DROP COLUMN policy_meta;

--changeset steadytext:070-access-trace
-- Accesses as the leader folded them, recorded while config cache_access_trace is true (off by default): the
-- material of a recorded trace for the hit-rate simulator, which steadytext_cache_trace_export() hands out with
-- anonymised keys. size_bytes and compute_ms are the entry's when its access was folded (NULL for a miss: the entry
-- was not there yet). The table grows while recording is on; steadytext_admin may empty it.
CREATE TABLE ${schema}.steadytext_cache_trace (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL,
    cache_key   text NOT NULL,
    hit         boolean NOT NULL,
    size_bytes  bigint,
    compute_ms  bigint,
    accessed_at timestamptz NOT NULL
);
--rollback DROP TABLE ${schema}.steadytext_cache_trace;

--changeset steadytext:070-eviction runOnChange:true splitStatements:false
-- steadytext_cache_stats gained columns (evictions, budgets, policy), which CREATE OR REPLACE cannot add: drop the
-- earlier definitions (030/040 once had them) when their result lacks the new columns.
DO $do$
DECLARE
    v_fn regprocedure;
BEGIN
    FOR v_fn IN
        SELECT p.oid::regprocedure FROM pg_proc p
        WHERE p.pronamespace = '${schema}'::regnamespace AND p.proname IN ('steadytext_cache_stats', 'st_cache_stats')
          AND pg_get_function_result(p.oid) NOT LIKE '%evicted_bytes%'
    LOOP
        EXECUTE format('DROP FUNCTION %s', v_fn);
    END LOOP;
END
$do$;

-- Seeds, as in 003-config.sql: new keys are added, descriptions refreshed, values an operator set are kept.
INSERT INTO ${schema}.steadytext_config (key, value, description) VALUES
    ('cache_eviction_policy', 'null', 'the eviction policy: lru, lfu, frecency, arc, gdsf or a plug-in''s name (steadytext_eviction_policies lists those available); null: the platform''s configuration file (evictionPolicy in conf/dev.steadytext.cache.cfg), else arc'),
    ('cache_eviction_enabled', 'true', 'whether the worker keeps every cache kind within its budget continuously (steadytext_cache_evict works either way)'),
    ('cache_max_entries', '10000', 'the most entries each cache kind keeps: a whole number, or null or "unbounded" for no limit'),
    ('cache_max_size_mb', '1000', 'the most megabytes (inputs plus results) each cache kind keeps: a number, or null or "unbounded" for no limit'),
    ('cache_max_entries_generation', 'null', 'overrides cache_max_entries for generations: a whole number, "unbounded", or null for cache_max_entries'),
    ('cache_max_entries_embedding', 'null', 'overrides cache_max_entries for embeddings: a whole number, "unbounded", or null for cache_max_entries'),
    ('cache_max_size_mb_generation', 'null', 'overrides cache_max_size_mb for generations: a number, "unbounded", or null for cache_max_size_mb'),
    ('cache_max_size_mb_embedding', 'null', 'overrides cache_max_size_mb for embeddings: a number, "unbounded", or null for cache_max_size_mb'),
    ('cache_access_trace', 'false', 'whether the leading worker records every access it folds in steadytext_cache_trace, for steadytext_cache_trace_export() and the hit-rate simulator; the table grows until emptied')
ON CONFLICT (key) DO UPDATE SET description = EXCLUDED.description;

-- Raises 22023 unless policy_name is a policy's name and, once a worker has published the policies it can run, one of
-- them. NULL passes (the caller decides what NULL means).
CREATE OR REPLACE FUNCTION ${schema}._steadytext_check_policy(fn text, arg text, policy_name text)
RETURNS void LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_available text;
BEGIN
    IF policy_name IS NULL THEN
        RETURN;
    ELSIF policy_name !~ '^[a-z0-9][a-z0-9_-]*$' THEN
        RAISE EXCEPTION '%: % must be an eviction policy''s name (lower case letters, digits, - and _), not "%"',
            fn, arg, policy_name USING ERRCODE = '22023';
    END IF;
    SELECT string_agg(p.name, ', ' ORDER BY p.name) INTO v_available FROM ${schema}.steadytext_eviction_policies p;
    IF v_available IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM ${schema}.steadytext_eviction_policies p WHERE p.name = policy_name) THEN
        RAISE EXCEPTION '%: % "%" is not an available eviction policy; available: %', fn, arg, policy_name, v_available
            USING ERRCODE = '22023',
                  HINT = 'A plug-in policy becomes available when its bundle is in the platform''s plugins/ directory.';
    END IF;
END
$fn$;

-- Raises 22023 for a target no budget can have.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_check_targets(fn text, target_entries int, target_size_mb float8)
RETURNS void LANGUAGE plpgsql IMMUTABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF target_entries < 0 THEN
        RAISE EXCEPTION '%: target_entries must be zero or more, not %', fn, target_entries USING ERRCODE = '22023';
    ELSIF target_size_mb < 0 OR target_size_mb = 'NaN'::float8 OR target_size_mb = 'Infinity'::float8 THEN
        RAISE EXCEPTION '%: target_size_mb must be a finite number, zero or more, not %', fn, target_size_mb
            USING ERRCODE = '22023';
    END IF;
END
$fn$;

-- Validates the eviction settings as steadytext_config_set stores them, so that a typo fails at once instead of
-- being ignored by the worker.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_check_eviction_config()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v jsonb := NEW.value;
    v_bound boolean := jsonb_typeof(v) = 'null' OR v = '"unbounded"'::jsonb;
BEGIN
    IF NEW.key = 'cache_max_entries' OR NEW.key LIKE 'cache\_max\_entries\_%' THEN
        IF NOT (v_bound OR (jsonb_typeof(v) = 'number' AND (v #>> '{}')::numeric >= 0
                AND (v #>> '{}')::numeric = trunc((v #>> '{}')::numeric)
                AND (v #>> '{}')::numeric <= 9223372036854775807)) THEN
            RAISE EXCEPTION 'steadytext_config_set: % must be a whole number of entries (0 or more), null or "unbounded", not %',
                NEW.key, v USING ERRCODE = '22023';
        END IF;
    ELSIF NEW.key = 'cache_max_size_mb' OR NEW.key LIKE 'cache\_max\_size\_mb\_%' THEN
        IF NOT (v_bound OR (jsonb_typeof(v) = 'number' AND (v #>> '{}')::numeric >= 0
                AND (v #>> '{}')::numeric <= 8796093022207)) THEN
            RAISE EXCEPTION 'steadytext_config_set: % must be a number of megabytes (0 or more), null or "unbounded", not %',
                NEW.key, v USING ERRCODE = '22023';
        END IF;
    ELSIF NEW.key IN ('cache_eviction_enabled', 'cache_access_trace') THEN
        IF jsonb_typeof(v) <> 'boolean' THEN
            RAISE EXCEPTION 'steadytext_config_set: % must be true or false, not %', NEW.key, v USING ERRCODE = '22023';
        END IF;
    ELSIF NEW.key = 'cache_eviction_policy' THEN
        IF jsonb_typeof(v) NOT IN ('null', 'string') THEN
            RAISE EXCEPTION 'steadytext_config_set: % must be a policy name or null, not %', NEW.key, v
                USING ERRCODE = '22023';
        END IF;
        PERFORM ${schema}._steadytext_check_policy('steadytext_config_set', NEW.key, v #>> '{}');
    END IF;
    RETURN NEW;
END
$fn$;

CREATE OR REPLACE TRIGGER steadytext_config_eviction_check
    BEFORE INSERT OR UPDATE ON ${schema}.steadytext_config
    FOR EACH ROW WHEN (NEW.key LIKE 'cache\_%') EXECUTE FUNCTION ${schema}._steadytext_check_eviction_config();

-- Each kind's budget (NULL: unbounded), the policy chosen in SQL (NULL: the platform's) and whether budgets are
-- kept continuously: the settings as the leader and steadytext_cache_stats read them. The kinds are the rows of
-- steadytext_cache_counters.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_eviction_settings()
RETURNS TABLE (kind text, max_entries bigint, max_bytes bigint, policy text, enabled boolean)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
    WITH cfg AS (SELECT coalesce(jsonb_object_agg(c.key, c.value), '{}') AS v
                 FROM ${schema}.steadytext_config c WHERE c.key LIKE 'cache\_%')
    SELECT k.kind,
           CASE WHEN jsonb_typeof(e.v) = 'number' THEN (e.v #>> '{}')::numeric::bigint END,
           CASE WHEN jsonb_typeof(s.v) = 'number' THEN ((s.v #>> '{}')::numeric * 1048576)::bigint END,
           cfg.v ->> 'cache_eviction_policy',
           coalesce((cfg.v ->> 'cache_eviction_enabled')::boolean, true)
    FROM ${schema}.steadytext_cache_counters k
    CROSS JOIN cfg
    CROSS JOIN LATERAL (SELECT CASE WHEN coalesce(jsonb_typeof(cfg.v -> ('cache_max_entries_' || k.kind)), 'null') = 'null'
                                    THEN cfg.v -> 'cache_max_entries' ELSE cfg.v -> ('cache_max_entries_' || k.kind) END) AS e(v)
    CROSS JOIN LATERAL (SELECT CASE WHEN coalesce(jsonb_typeof(cfg.v -> ('cache_max_size_mb_' || k.kind)), 'null') = 'null'
                                    THEN cfg.v -> 'cache_max_size_mb' ELSE cfg.v -> ('cache_max_size_mb_' || k.kind) END) AS s(v)
    ORDER BY k.kind
$fn$;

-- The change feed's trigger function, for the three statement-level triggers below (plpgsql plans each branch when
-- it first runs, so each trigger only ever touches its own transition table). SECURITY DEFINER: whoever may change
-- the cache has its changes recorded. A session that sets steadytext.evictor (the leading worker, for its own
-- evictions) has its deletions left out. No trigger on steadytext_cache_access: the hit path's append stays as cheap
-- as it is; the leader reads that log when it folds it.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_cache_changed()
RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO ${schema}.steadytext_cache_changes (change, kind, cache_key, size_bytes, compute_ms)
        SELECT 'insert', n.kind, n.cache_key, octet_length(n.prompt) + n.response_size,
               coalesce(n.generation_time_ms, 0)
        FROM inserted_rows n ORDER BY n.id;
    ELSIF TG_OP = 'DELETE' THEN
        IF coalesce(current_setting('steadytext.evictor', true), '') = '' THEN
            INSERT INTO ${schema}.steadytext_cache_changes (change, kind, cache_key, size_bytes)
            SELECT 'delete', o.kind, o.cache_key, octet_length(o.prompt) + o.response_size FROM deleted_rows o;
        END IF;
    ELSE
        INSERT INTO ${schema}.steadytext_cache_changes (change) VALUES ('clear');
    END IF;
    RETURN NULL;
END
$fn$;

CREATE OR REPLACE TRIGGER steadytext_cache_inserted AFTER INSERT ON ${schema}.steadytext_cache
    REFERENCING NEW TABLE AS inserted_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ${schema}._steadytext_cache_changed();
CREATE OR REPLACE TRIGGER steadytext_cache_deleted AFTER DELETE ON ${schema}.steadytext_cache
    REFERENCING OLD TABLE AS deleted_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ${schema}._steadytext_cache_changed();
CREATE OR REPLACE TRIGGER steadytext_cache_truncated AFTER TRUNCATE ON ${schema}.steadytext_cache
    FOR EACH STATEMENT EXECUTE FUNCTION ${schema}._steadytext_cache_changed();

-- Per kind: entries, bytes (inputs plus results), hits/misses (the leader's folded counters plus the access rows it
-- has not folded yet), then evictions and evicted bytes, the budget (NULL: unbounded) and the policy the leading
-- worker runs (NULL until a worker has led). The leader folds atomically (deletes the rows and adds them in one
-- transaction), so no access is counted twice.
CREATE OR REPLACE FUNCTION ${schema}.steadytext_cache_stats()
RETURNS TABLE (kind text, entries bigint, bytes bigint, hits bigint, misses bigint, hit_rate float8,
               evictions bigint, evicted_bytes bigint, max_entries bigint, max_bytes bigint, policy text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT k.kind,
           coalesce(e.entries, 0),
           coalesce(e.bytes, 0),
           k.hits + coalesce(a.hits, 0),
           k.misses + coalesce(a.misses, 0),
           CASE WHEN k.hits + coalesce(a.hits, 0) + k.misses + coalesce(a.misses, 0) = 0 THEN 0::float8
                ELSE (k.hits + coalesce(a.hits, 0))::float8
                     / (k.hits + coalesce(a.hits, 0) + k.misses + coalesce(a.misses, 0)) END,
           k.evictions,
           k.evicted_bytes,
           b.max_entries,
           b.max_bytes,
           st.policy
    FROM ${schema}.steadytext_cache_counters k
    LEFT JOIN (SELECT c.kind, count(*) AS entries, sum(octet_length(c.prompt) + c.response_size)::bigint AS bytes
               FROM ${schema}.steadytext_cache c GROUP BY c.kind) e ON e.kind = k.kind
    LEFT JOIN (SELECT x.kind, coalesce(sum(x.weight) FILTER (WHERE x.hit), 0) AS hits,
                      coalesce(sum(x.weight) FILTER (WHERE NOT x.hit), 0) AS misses
               FROM ${schema}.steadytext_cache_access x GROUP BY x.kind) a ON a.kind = k.kind
    LEFT JOIN ${schema}._steadytext_eviction_settings() b ON b.kind = k.kind
    LEFT JOIN ${schema}.steadytext_eviction_state st ON st.kind = k.kind
    ORDER BY k.kind
$fn$;

-- The remote half of an eviction request, in the loopback session's own transaction: inserts it and wakes the
-- leader. payload is base64 of {"action", "args", "requester"}, so that nothing a caller passes becomes SQL text.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_eviction_enqueue(payload text)
RETURNS uuid LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v jsonb := convert_from(decode(payload, 'base64'), 'UTF8')::jsonb;
    v_id uuid;
BEGIN
    INSERT INTO ${schema}.steadytext_eviction_requests (action, args, requester)
    VALUES (v ->> 'action', v -> 'args', (v ->> 'requester')::name)
    RETURNING request_id INTO v_id;
    PERFORM pg_notify('steadytext_eviction', v_id::text);
    RETURN v_id;
END
$fn$;

-- Asks the leading worker to run action with args and waits for its answer, up to steadytext.sync_timeout (as
-- synchronous generation waits): the answer's JSON, or the worker's error with its SQLSTATE, or 57014 naming the
-- request. A request no worker has started when the time is up is withdrawn, so it never runs later by surprise.
-- READ COMMITTED callers read the answer directly; others through the loopback, which sees every commit.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_eviction_request(fn text, action text, args jsonb)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_timeout interval := ${schema}._steadytext_sync_timeout();
    v_deadline timestamptz := clock_timestamp() + v_timeout;
    v_local boolean := current_setting('transaction_isolation') = 'read committed';
    v_conn text := ${schema}._steadytext_loopback();
    v_sql text := 'SELECT ${schema}._steadytext_eviction_enqueue(' || quote_literal(encode(convert_to(
        jsonb_build_object('action', action, 'args', args, 'requester', session_user)::text, 'UTF8'), 'base64')) || ')';
    v_id uuid;
    v_status text;
    v_result jsonb;
    v_error text;
    v_code text;
    v_pauses int := 0;
BEGIN
    BEGIN
        SELECT t.id INTO v_id FROM ${dblink}.dblink(v_conn, v_sql) AS t(id uuid);
    EXCEPTION WHEN connection_exception THEN
        PERFORM ${dblink}.dblink_disconnect(v_conn);
        v_conn := ${schema}._steadytext_loopback();
        SELECT t.id INTO v_id FROM ${dblink}.dblink(v_conn, v_sql) AS t(id uuid);
    END;
    LOOP
        IF v_local THEN
            SELECT r.status, r.result, r.error, r.error_code INTO v_status, v_result, v_error, v_code
            FROM ${schema}.steadytext_eviction_requests r WHERE r.request_id = v_id;
        ELSE
            SELECT t.status, t.result::jsonb, t.error, t.error_code INTO v_status, v_result, v_error, v_code
            FROM ${dblink}.dblink(v_conn, format('SELECT status, result::text, error, error_code '
                || 'FROM ${schema}.steadytext_eviction_requests WHERE request_id = %L', v_id))
                AS t(status text, result text, error text, error_code text);
        END IF;
        IF v_status = 'done' THEN
            RETURN v_result;
        ELSIF v_status = 'failed' THEN
            RAISE EXCEPTION '%: %', fn, v_error USING ERRCODE = coalesce(v_code, 'P0001');
        END IF;
        IF clock_timestamp() >= v_deadline THEN
            PERFORM ${dblink}.dblink_exec(v_conn, format('UPDATE ${schema}.steadytext_eviction_requests '
                || 'SET status = ''cancelled'', finished_at = clock_timestamp() '
                || 'WHERE request_id = %L AND status = ''pending''', v_id));
            RAISE EXCEPTION '%', format('%s: no worker answered eviction request %s within %s', fn, v_id, v_timeout)
                USING ERRCODE = '57014',
                      HINT = 'Start the SteadyText platform (its leading worker evicts), or wait longer with '
                          || 'SET steadytext.sync_timeout = ''60s''.';
        END IF;
        v_pauses := ${schema}._steadytext_poll_pause(v_pauses, v_deadline);
    END LOOP;
END
$fn$;

-- Evicts now, with the policy named (NULL: the current one), until each kind is within target_entries and
-- target_size_mb (NULL: the kind's configured budget). One row per kind: what was evicted, what remains, and the
-- policy that chose. Entries touched in the last few seconds are kept (the worker's protectMillis). Admin only.
CREATE OR REPLACE FUNCTION ${schema}.steadytext_cache_evict(
    target_entries int DEFAULT NULL, target_size_mb float8 DEFAULT NULL, policy text DEFAULT NULL)
RETURNS TABLE (evicted_count int, freed_size_mb float8, remaining_entries bigint, remaining_size_mb float8,
               kind text, eviction_policy text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v jsonb;
BEGIN
    PERFORM ${schema}._steadytext_check_targets('steadytext_cache_evict', target_entries, target_size_mb);
    PERFORM ${schema}._steadytext_check_policy('steadytext_cache_evict', 'policy', policy);
    v := ${schema}._steadytext_eviction_request('steadytext_cache_evict', 'evict', jsonb_build_object(
        'trigger', 'manual', 'target_entries', target_entries,
        'target_bytes', round(target_size_mb * 1048576)::bigint, 'policy', policy));
    RETURN QUERY
        SELECT (r ->> 'evicted')::int, (r ->> 'evicted_bytes')::float8 / 1048576, (r ->> 'entries_after')::bigint,
               (r ->> 'bytes_after')::float8 / 1048576, r ->> 'kind', r ->> 'policy'
        FROM jsonb_array_elements(v -> 'kinds') AS r
        ORDER BY r ->> 'kind';
END
$fn$;

-- The next preview_count victims of each kind under the current policy, most evictable first, with the policy's
-- reason and score (comparable within one kind). pg_steadytext's columns come first.
CREATE OR REPLACE FUNCTION ${schema}.steadytext_cache_preview_eviction(preview_count int DEFAULT 10)
RETURNS TABLE (cache_key text, prompt text, access_count int, last_accessed timestamptz, created_at timestamptz,
               age_days float8, size_bytes bigint, kind text, rank int, eviction_policy text, reason text,
               score float8, policy_meta text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v jsonb;
BEGIN
    IF preview_count IS NULL THEN
        RAISE EXCEPTION 'steadytext_cache_preview_eviction: preview_count must not be NULL' USING ERRCODE = '22004';
    ELSIF preview_count < 1 OR preview_count > 10000 THEN
        RAISE EXCEPTION 'steadytext_cache_preview_eviction: preview_count must be between 1 and 10000, not %',
            preview_count USING ERRCODE = '22023';
    END IF;
    v := ${schema}._steadytext_eviction_request('steadytext_cache_preview_eviction', 'preview',
        jsonb_build_object('count', preview_count));
    RETURN QUERY
        SELECT c.cache_key,
               left(c.prompt, 50) || CASE WHEN length(c.prompt) > 50 THEN '...' ELSE '' END,
               least(c.access_count, 2147483647)::int, c.last_accessed, c.created_at,
               extract(epoch FROM now() - c.created_at)::float8 / 86400,
               (octet_length(c.prompt) + c.response_size)::bigint, c.kind, (x ->> 'rank')::int, x ->> 'policy',
               x ->> 'reason', (x ->> 'score')::float8, c.policy_meta
        FROM jsonb_array_elements(v -> 'victims') AS x
        JOIN ${schema}.steadytext_cache c ON c.cache_key = x ->> 'key'
        ORDER BY c.kind, (x ->> 'rank')::int;
END
$fn$;

-- How the cache is used, per kind, age (since the entry was created) and access count: pg_steadytext's columns
-- first, percentages of all entries. SQL only.
CREATE OR REPLACE FUNCTION ${schema}.steadytext_cache_analyze_usage()
RETURNS TABLE (age_bucket text, entry_count bigint, avg_access_count float8, total_size_mb float8,
               percentage_of_cache float8, kind text, access_bucket text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
    WITH e AS (
        SELECT c.kind, c.access_count, octet_length(c.prompt) + c.response_size AS size,
               CASE WHEN c.created_at > now() - interval '1 hour' THEN 1
                    WHEN c.created_at > now() - interval '1 day' THEN 2
                    WHEN c.created_at > now() - interval '7 days' THEN 3
                    WHEN c.created_at > now() - interval '30 days' THEN 4
                    ELSE 5 END AS age_rank,
               CASE WHEN c.access_count = 0 THEN 1 WHEN c.access_count = 1 THEN 2 WHEN c.access_count < 10 THEN 3
                    WHEN c.access_count < 100 THEN 4 ELSE 5 END AS access_rank
        FROM ${schema}.steadytext_cache c)
    SELECT (ARRAY['< 1 hour', '1 hour - 1 day', '1 day - 7 days', '7 days - 30 days', '> 30 days'])[e.age_rank],
           count(*), avg(e.access_count)::float8, sum(e.size)::float8 / 1048576,
           count(*)::float8 * 100 / (SELECT count(*) FROM e), e.kind,
           (ARRAY['never hit', 'hit once', 'hit 2-9 times', 'hit 10-99 times', 'hit 100+ times'])[e.access_rank]
    FROM e
    GROUP BY e.kind, e.age_rank, e.access_rank
    ORDER BY e.kind, e.age_rank, e.access_rank
$fn$;

-- pg_steadytext's SQL-only evictions, which need no worker: the oldest entries first (by_frecency = false), or the
-- lowest frecency first, (access_count + 1) * exp(-days since the last access), among entries accessed fewer than
-- min_access_count times. Entries younger than min_age_hours stay. Each kind is brought within target_entries and
-- target_size_mb (NULL: its configured budget), batch_size rows per DELETE. One row: what was evicted and what
-- remains, in all kinds together. The worker's policies learn of these deletions from the change feed.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_evict_sql(
    fn text, by_frecency boolean, target_entries int, target_size_mb float8, batch_size int, min_access_count int,
    min_age_hours int)
RETURNS TABLE (evicted_count int, freed_size_mb float8, remaining_entries bigint, remaining_size_mb float8)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    s record;
    v_entries bigint;
    v_bytes bigint;
    v_before_entries bigint;
    v_before_bytes bigint;
    v_max_entries bigint;
    v_max_bytes bigint;
    v_batch_entries bigint;
    v_batch_bytes bigint;
    v_started timestamptz;
    v_total_evicted bigint := 0;
    v_total_freed bigint := 0;
    v_total_entries bigint := 0;
    v_total_bytes bigint := 0;
BEGIN
    PERFORM ${schema}._steadytext_check_targets(fn, target_entries, target_size_mb);
    IF batch_size IS NULL THEN
        RAISE EXCEPTION '%: batch_size must not be NULL', fn USING ERRCODE = '22004';
    ELSIF batch_size < 1 THEN
        RAISE EXCEPTION '%: batch_size must be at least 1, not %', fn, batch_size USING ERRCODE = '22023';
    ELSIF min_age_hours IS NULL THEN
        RAISE EXCEPTION '%: min_age_hours must not be NULL', fn USING ERRCODE = '22004';
    ELSIF min_age_hours < 0 THEN
        RAISE EXCEPTION '%: min_age_hours must be zero or more, not %', fn, min_age_hours USING ERRCODE = '22023';
    ELSIF by_frecency AND min_access_count IS NULL THEN
        RAISE EXCEPTION '%: min_access_count must not be NULL', fn USING ERRCODE = '22004';
    END IF;
    FOR s IN SELECT * FROM ${schema}._steadytext_eviction_settings() LOOP
        v_max_entries := coalesce(target_entries, s.max_entries);
        v_max_bytes := coalesce(round(target_size_mb * 1048576)::bigint, s.max_bytes);
        v_started := clock_timestamp();
        SELECT count(*), coalesce(sum(octet_length(c.prompt) + c.response_size), 0) INTO v_entries, v_bytes
        FROM ${schema}.steadytext_cache c WHERE c.kind = s.kind;
        v_before_entries := v_entries;
        v_before_bytes := v_bytes;
        WHILE v_entries > v_max_entries OR v_bytes > v_max_bytes LOOP
            WITH victims AS (
                SELECT c.id FROM ${schema}.steadytext_cache c
                WHERE c.kind = s.kind AND c.created_at < now() - min_age_hours * interval '1 hour'
                  AND (NOT by_frecency OR c.access_count < min_access_count)
                ORDER BY CASE WHEN by_frecency THEN (c.access_count + 1)
                              * exp(greatest(-700, -extract(epoch FROM now() - c.last_accessed)::float8 / 86400)) END,
                         c.created_at, c.id
                -- Exactly the entries still over budget when only the count is over; a whole batch for bytes.
                LIMIT CASE WHEN v_bytes > v_max_bytes THEN batch_size ELSE least(batch_size, v_entries - v_max_entries) END
                FOR UPDATE SKIP LOCKED),
            gone AS (
                DELETE FROM ${schema}.steadytext_cache c USING victims v WHERE c.id = v.id
                RETURNING octet_length(c.prompt) + c.response_size AS size)
            SELECT count(*), coalesce(sum(g.size), 0) INTO v_batch_entries, v_batch_bytes FROM gone g;
            EXIT WHEN v_batch_entries = 0;
            v_entries := v_entries - v_batch_entries;
            v_bytes := v_bytes - v_batch_bytes;
        END LOOP;
        IF v_entries < v_before_entries THEN
            UPDATE ${schema}.steadytext_cache_counters k
            SET evictions = k.evictions + (v_before_entries - v_entries),
                evicted_bytes = k.evicted_bytes + (v_before_bytes - v_bytes)
            WHERE k.kind = s.kind;
            INSERT INTO ${schema}.steadytext_eviction_log (started_at, duration_ms, kind, policy, trigger,
                entries_before, entries_after, bytes_before, bytes_after, evicted, evicted_bytes)
            VALUES (v_started, extract(epoch FROM clock_timestamp() - v_started) * 1000, s.kind,
                CASE WHEN by_frecency THEN 'sql:frecency' ELSE 'sql:age' END, 'manual', v_before_entries, v_entries,
                v_before_bytes, v_bytes, v_before_entries - v_entries, v_before_bytes - v_bytes);
        END IF;
        v_total_evicted := v_total_evicted + v_before_entries - v_entries;
        v_total_freed := v_total_freed + v_before_bytes - v_bytes;
        v_total_entries := v_total_entries + v_entries;
        v_total_bytes := v_total_bytes + v_bytes;
    END LOOP;
    RETURN QUERY SELECT v_total_evicted::int, v_total_freed::float8 / 1048576, v_total_entries,
        v_total_bytes::float8 / 1048576;
END
$fn$;

-- pg_steadytext's names and signatures. Admin only.
CREATE OR REPLACE FUNCTION ${schema}.steadytext_cache_evict_by_age(
    target_entries int DEFAULT NULL, target_size_mb float8 DEFAULT NULL, batch_size int DEFAULT 100,
    min_age_hours int DEFAULT 1)
RETURNS TABLE (evicted_count int, freed_size_mb float8, remaining_entries bigint, remaining_size_mb float8)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT * FROM ${schema}._steadytext_evict_sql('steadytext_cache_evict_by_age', false, $1, $2, $3, NULL, $4)
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.steadytext_cache_evict_by_frecency(
    target_entries int DEFAULT NULL, target_size_mb float8 DEFAULT NULL, batch_size int DEFAULT 100,
    min_access_count int DEFAULT 2, min_age_hours int DEFAULT 1)
RETURNS TABLE (evicted_count int, freed_size_mb float8, remaining_entries bigint, remaining_size_mb float8)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT * FROM ${schema}._steadytext_evict_sql('steadytext_cache_evict_by_frecency', true, $1, $2, $3, $4, $5)
$fn$;

-- For pg_cron and the like: brings every kind within its budget now with the current policy, unless config
-- cache_eviction_enabled is false. pg_steadytext's JSON result: status, evicted_count, freed_size_mb,
-- remaining_entries, remaining_size_mb, duration_ms, plus the per-kind rows. Admin only.
CREATE OR REPLACE FUNCTION ${schema}.steadytext_cache_scheduled_eviction()
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_started timestamptz := clock_timestamp();
    v jsonb;
BEGIN
    IF NOT coalesce((SELECT (c.value #>> '{}')::boolean FROM ${schema}.steadytext_config c
                     WHERE c.key = 'cache_eviction_enabled'), true) THEN
        RETURN jsonb_build_object('status', 'skipped', 'reason', 'config cache_eviction_enabled is false',
            'timestamp', now());
    END IF;
    v := ${schema}._steadytext_eviction_request('steadytext_cache_scheduled_eviction', 'evict',
        jsonb_build_object('trigger', 'scheduled'));
    RETURN (SELECT jsonb_build_object('status', 'completed', 'timestamp', now(),
                'evicted_count', coalesce(sum((r ->> 'evicted')::bigint), 0),
                'freed_size_mb', coalesce(sum((r ->> 'evicted_bytes')::bigint), 0)::float8 / 1048576,
                'remaining_entries', coalesce(sum((r ->> 'entries_after')::bigint), 0),
                'remaining_size_mb', coalesce(sum((r ->> 'bytes_after')::bigint), 0)::float8 / 1048576,
                'duration_ms', round(extract(epoch FROM clock_timestamp() - v_started) * 1000),
                'kinds', v -> 'kinds')
            FROM jsonb_array_elements(v -> 'kinds') AS r);
END
$fn$;

-- Eviction rounds, newest last by evicted_at: when, which kind, which policy, why (budget, manual, scheduled), the
-- kind's entries and bytes before and after, and how long the round took.
CREATE OR REPLACE VIEW ${schema}.steadytext_eviction_history AS
    SELECT l.started_at + l.duration_ms * interval '1 millisecond' AS evicted_at, l.kind, l.policy, l.trigger,
           l.entries_before, l.entries_after, l.bytes_before, l.bytes_after, l.evicted, l.evicted_bytes,
           l.duration_ms, l.started_at, l.request_id
    FROM ${schema}.steadytext_eviction_log l;

-- st_* aliases, as in 040-aliases.sql.
CREATE OR REPLACE FUNCTION ${schema}.st_cache_stats()
RETURNS TABLE (kind text, entries bigint, bytes bigint, hits bigint, misses bigint, hit_rate float8,
               evictions bigint, evicted_bytes bigint, max_entries bigint, max_bytes bigint, policy text)
LANGUAGE sql STABLE
AS $fn$ SELECT * FROM ${schema}.steadytext_cache_stats() $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_cache_evict(
    target_entries int DEFAULT NULL, target_size_mb float8 DEFAULT NULL, policy text DEFAULT NULL)
RETURNS TABLE (evicted_count int, freed_size_mb float8, remaining_entries bigint, remaining_size_mb float8,
               kind text, eviction_policy text)
LANGUAGE sql VOLATILE
AS $fn$ SELECT * FROM ${schema}.steadytext_cache_evict($1, $2, $3) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_cache_preview_eviction(preview_count int DEFAULT 10)
RETURNS TABLE (cache_key text, prompt text, access_count int, last_accessed timestamptz, created_at timestamptz,
               age_days float8, size_bytes bigint, kind text, rank int, eviction_policy text, reason text,
               score float8, policy_meta text)
LANGUAGE sql VOLATILE
AS $fn$ SELECT * FROM ${schema}.steadytext_cache_preview_eviction($1) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_cache_analyze_usage()
RETURNS TABLE (age_bucket text, entry_count bigint, avg_access_count float8, total_size_mb float8,
               percentage_of_cache float8, kind text, access_bucket text)
LANGUAGE sql STABLE
AS $fn$ SELECT * FROM ${schema}.steadytext_cache_analyze_usage() $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_cache_evict_by_age(
    target_entries int DEFAULT NULL, target_size_mb float8 DEFAULT NULL, batch_size int DEFAULT 100,
    min_age_hours int DEFAULT 1)
RETURNS TABLE (evicted_count int, freed_size_mb float8, remaining_entries bigint, remaining_size_mb float8)
LANGUAGE sql VOLATILE
AS $fn$ SELECT * FROM ${schema}.steadytext_cache_evict_by_age($1, $2, $3, $4) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_cache_evict_by_frecency(
    target_entries int DEFAULT NULL, target_size_mb float8 DEFAULT NULL, batch_size int DEFAULT 100,
    min_access_count int DEFAULT 2, min_age_hours int DEFAULT 1)
RETURNS TABLE (evicted_count int, freed_size_mb float8, remaining_entries bigint, remaining_size_mb float8)
LANGUAGE sql VOLATILE
AS $fn$ SELECT * FROM ${schema}.steadytext_cache_evict_by_frecency($1, $2, $3, $4, $5) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_cache_scheduled_eviction()
RETURNS jsonb LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_cache_scheduled_eviction() $fn$;

-- A recorded trace for the hit-rate simulator (its --trace-file): the accesses of steadytext_cache_trace in the order
-- they happened, as key_hash,size_bytes,compute_millis. Keys are hashed with a salt drawn for each export, so that a
-- key hash matches neither a prompt someone guesses nor another export's hashes. An entry's size and compute time
-- are the largest recorded for its key (a miss records none), else the cache's, else 0. kind NULL: every kind.
-- Admin only. In psql:
--   \copy (SELECT * FROM steadytext_cache_trace_export('generation')) TO 'generation.csv' WITH (FORMAT csv, HEADER)
CREATE OR REPLACE FUNCTION ${schema}.steadytext_cache_trace_export(kind text DEFAULT NULL)
RETURNS TABLE (key_hash text, size_bytes bigint, compute_millis bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_salt constant text := gen_random_uuid()::text;
BEGIN
    IF kind IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${schema}.steadytext_cache_counters k WHERE k.kind = $1) THEN
        RAISE EXCEPTION 'steadytext_cache_trace_export: kind must be one of %, or NULL for all, not "%"',
            (SELECT string_agg(k.kind, ', ' ORDER BY k.kind) FROM ${schema}.steadytext_cache_counters k), kind
            USING ERRCODE = '22023';
    END IF;
    RETURN QUERY
        WITH per_key AS (
            SELECT t.cache_key, max(t.size_bytes) AS size_bytes, max(t.compute_ms) AS compute_ms
            FROM ${schema}.steadytext_cache_trace t WHERE $1 IS NULL OR t.kind = $1 GROUP BY t.cache_key)
        SELECT left(encode(sha256(convert_to(v_salt || t.cache_key, 'UTF8')), 'hex'), 16),
               coalesce(k.size_bytes, octet_length(c.prompt) + c.response_size, 0)::bigint,
               coalesce(k.compute_ms, c.generation_time_ms, 0)::bigint
        FROM ${schema}.steadytext_cache_trace t
        JOIN per_key k ON k.cache_key = t.cache_key
        LEFT JOIN ${schema}.steadytext_cache c ON c.cache_key = t.cache_key
        WHERE $1 IS NULL OR t.kind = $1
        ORDER BY t.accessed_at, t.id;
END
$fn$;

--changeset steadytext:070-eviction-grants runOnChange:true splitStatements:false
-- Privileges, in the roles of 050-roles.sql. When 050 runs again (after a change) it grants EXECUTE to PUBLIC on
-- every steadytext_* function it does not list as admin-only: its admin list names the evictions below.
--  admin only:  steadytext_cache_evict, _evict_by_age, _evict_by_frecency, _scheduled_eviction (and st_*),
--               steadytext_cache_trace_export, and emptying steadytext_cache_trace;
--  everyone:    steadytext_cache_stats, _preview_eviction, _analyze_usage (and st_*), as the user functions are
--               (preview shows keys and prompt prefixes, which steadytext_cache already shows to PUBLIC);
--  steadytext_user: SELECT on steadytext_eviction_history and steadytext_eviction_policies;
--  steadytext_admin: SELECT on every eviction table;
--  steadytext_worker: what the eviction service reads and writes.
DO $do$
DECLARE
    v_fn regprocedure;
    v_name text;
    v_admin constant text[] := ARRAY['steadytext_cache_evict', 'steadytext_cache_evict_by_age',
        'steadytext_cache_evict_by_frecency', 'steadytext_cache_scheduled_eviction', 'st_cache_evict',
        'st_cache_evict_by_age', 'st_cache_evict_by_frecency', 'st_cache_scheduled_eviction',
        'steadytext_cache_trace_export'];
    v_user constant text[] := ARRAY['steadytext_cache_stats', 'steadytext_cache_preview_eviction',
        'steadytext_cache_analyze_usage', 'st_cache_stats', 'st_cache_preview_eviction', 'st_cache_analyze_usage'];
    v_internal constant text[] := ARRAY['_steadytext_check_policy', '_steadytext_check_targets',
        '_steadytext_check_eviction_config', '_steadytext_eviction_settings', '_steadytext_cache_changed',
        '_steadytext_eviction_enqueue',
        '_steadytext_eviction_request', '_steadytext_evict_sql'];
    v_has_user boolean := EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steadytext_user');
    v_has_admin boolean := EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steadytext_admin');
    v_has_worker boolean := EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steadytext_worker');
BEGIN
    FOR v_fn, v_name IN
        SELECT p.oid::regprocedure, p.proname FROM pg_proc p WHERE p.pronamespace = '${schema}'::regnamespace
          AND p.proname = ANY (v_admin || v_user || v_internal)
    LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', v_fn);
        IF v_name = ANY (v_admin) AND v_has_admin THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO steadytext_admin', v_fn);
        ELSIF v_name = ANY (v_user) THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO PUBLIC', v_fn);
            IF v_has_user THEN
                EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO steadytext_user', v_fn);
            END IF;
        ELSIF v_name = '_steadytext_eviction_settings' AND v_has_worker THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO steadytext_worker', v_fn);
        END IF;
    END LOOP;
    IF v_has_user THEN
        EXECUTE 'GRANT SELECT ON ${schema}.steadytext_eviction_history, ${schema}.steadytext_eviction_policies '
            || 'TO steadytext_user';
    END IF;
    IF v_has_admin THEN
        EXECUTE 'GRANT SELECT ON ${schema}.steadytext_eviction_history, ${schema}.steadytext_eviction_policies, '
            || '${schema}.steadytext_eviction_log, ${schema}.steadytext_eviction_state, '
            || '${schema}.steadytext_eviction_requests, ${schema}.steadytext_cache_changes TO steadytext_admin';
        EXECUTE 'GRANT SELECT, DELETE, TRUNCATE ON ${schema}.steadytext_cache_trace TO steadytext_admin';
    END IF;
    IF v_has_worker THEN
        EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON ${schema}.steadytext_cache_changes, '
            || '${schema}.steadytext_eviction_state, ${schema}.steadytext_eviction_policies, '
            || '${schema}.steadytext_eviction_log, ${schema}.steadytext_eviction_requests TO steadytext_worker';
        EXECUTE 'GRANT SELECT, INSERT ON ${schema}.steadytext_cache_trace TO steadytext_worker';
    END IF;
END
$do$;
