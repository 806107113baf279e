--liquibase formatted sql

-- Models on demand. A call that names a model no live worker serves (model => a registry name, size => mini, small
-- or large, or model_repo with model_filename) asks a worker to load it, waits, and then keys its request to the
-- loaded model's fingerprint like any other. The worker does the work, never the SQL caller: it resolves the
-- arguments with its model registry (conf/dev.steadytext.models.cfg), downloads the file into its model cache when
-- that is allowed, starts a backend for it and registers it in steadytext_models.
--
-- The channel is steadytext_model_requests, written through the dblink loopback in the loopback session's own
-- transaction (so the worker sees the request while the caller waits, inside any transaction of the caller), with
-- NOTIFY steadytext_model_requests to wake the worker, and NOTIFY steadytext_done (payload: the request id) when it
-- is done. Identical requests in flight share one row: one load, however many callers wait for it.
--
-- Who may load: callers allowed to call the kind's user function (steadytext_generate, steadytext_embed,
-- steadytext_rerank). Who may make a worker download: steadytext_admin (and superusers), and everyone else only when
-- config allow_model_downloads_from_sql is true; a model whose file the worker already has loads for any caller.

--changeset steadytext:095-models-tables
-- Load requests and what became of them: pending -> loading -> ready | failed. request_key identifies identical
-- requests (kind and the normalised arguments); a ready request also remembers which model the arguments chose,
-- for the next call with the same arguments.
CREATE TABLE ${schema}.steadytext_model_requests (
    request_id     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind           text NOT NULL CHECK (kind IN ('generation', 'embedding', 'reranking')),
    model          text,
    size           text,
    model_repo     text,
    model_filename text,
    request_key    text NOT NULL,
    may_download   boolean NOT NULL DEFAULT false,
    status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'loading', 'ready', 'failed')),
    model_name     text,              -- the name the model is served under (steadytext_models.name)
    fingerprint    text,              -- the loaded model's, once ready
    progress       text,              -- what the worker is doing, for people: 'downloading: 45% (...) at 12.3 MB/s'
    bytes_done     bigint,
    bytes_total    bigint,
    error          text,
    error_code     text,              -- the SQLSTATE the waiting callers raise
    worker_id      uuid,
    requester      name NOT NULL DEFAULT session_user,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    started_at     timestamptz,
    updated_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    completed_at   timestamptz,
    CHECK (status <> 'ready' OR fingerprint IS NOT NULL),
    CHECK (status <> 'failed' OR error IS NOT NULL)
);
CREATE UNIQUE INDEX steadytext_model_requests_inflight ON ${schema}.steadytext_model_requests (request_key)
    WHERE status IN ('pending', 'loading');
CREATE INDEX steadytext_model_requests_ready ON ${schema}.steadytext_model_requests (request_key, completed_at)
    WHERE status = 'ready';
CREATE INDEX steadytext_model_requests_completed ON ${schema}.steadytext_model_requests (completed_at);
--rollback DROP TABLE ${schema}.steadytext_model_requests;

--changeset steadytext:095-models-config runOnChange:true
INSERT INTO ${schema}.steadytext_config (key, value, description) VALUES
    ('allow_model_downloads_from_sql', 'false', 'may callers who are not steadytext_admin make a worker download a model they name (true), or only load models whose files the worker already has (false)')
ON CONFLICT (key) DO UPDATE SET description = EXCLUDED.description;

--changeset steadytext:095-models runOnChange:true splitStatements:false
-- The models the live workers serve (heartbeat within config worker_stale_seconds), or NULL when no worker is live:
-- one read for callers that weigh several models, such as _steadytext_refresh_session. This and
-- _steadytext_model_served run on every miss: PL/pgSQL keeps their plans for the session, where a SQL function with a
-- SET clause is planned again at every call.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_live_models()
RETURNS text[] LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    RETURN (
        SELECT CASE WHEN count(*) = 0 THEN NULL
                    ELSE coalesce(array_agg(m.fingerprint) FILTER (WHERE m.fingerprint IS NOT NULL), '{}') END
        FROM ${schema}.steadytext_workers w
        LEFT JOIN LATERAL unnest(w.models) AS m(fingerprint) ON true
        WHERE w.stopped_at IS NULL
          AND w.last_heartbeat >= clock_timestamp() - coalesce((SELECT (c.value #>> '{}')::float8
                FROM ${schema}.steadytext_config c WHERE c.key = 'worker_stale_seconds'), 15) * interval '1 second');
END
$fn$;

-- Whether a live worker (heartbeat within config worker_stale_seconds, not stopped) serves the model; NULL when no
-- worker is live at all.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_model_served(fingerprint text)
RETURNS boolean LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_live text[] := ${schema}._steadytext_live_models();
BEGIN
    RETURN CASE WHEN v_live IS NULL THEN NULL ELSE coalesce(fingerprint = ANY (v_live), false) END;
END
$fn$;

-- Checks the model arguments of a call against each other, as far as SQL can tell without the registry (the worker
-- checks the rest): 22023 naming the argument at fault, before anything is queued.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_check_model_arguments(
    fn text, model text, model_repo text, model_filename text, size text)
RETURNS void LANGUAGE plpgsql IMMUTABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF btrim(model) = '' OR btrim(size) = '' OR btrim(model_repo) = '' OR btrim(model_filename) = '' THEN
        RAISE EXCEPTION '%: %', fn, CASE WHEN btrim(model) = '' THEN 'model' WHEN btrim(size) = '' THEN 'size'
            WHEN btrim(model_repo) = '' THEN 'model_repo' ELSE 'model_filename' END
            || ' must not be empty (NULL means not given)' USING ERRCODE = '22023';
    ELSIF model IS NOT NULL AND size IS NOT NULL THEN
        RAISE EXCEPTION '%: give either model or size, not both (model "%", size "%")', fn, model, size
            USING ERRCODE = '22023';
    ELSIF model IS NOT NULL AND (model_repo IS NOT NULL OR model_filename IS NOT NULL) THEN
        RAISE EXCEPTION '%: give either model or model_repo with model_filename, not both (model "%")', fn, model
            USING ERRCODE = '22023';
    ELSIF model_repo IS NOT NULL AND model_filename IS NULL THEN
        RAISE EXCEPTION '%: model_filename is required with model_repo "%": give the file''s name inside the '
            'repository', fn, model_repo USING ERRCODE = '22023';
    ELSIF model_filename IS NOT NULL AND model_repo IS NULL THEN
        RAISE EXCEPTION '%: model_repo is required with model_filename "%": give the repository as ''owner/name''',
            fn, model_filename USING ERRCODE = '22023';
    ELSIF size IS NOT NULL AND model_repo IS NOT NULL THEN
        RAISE EXCEPTION '%: size chooses among the registry''s models and cannot be combined with model_repo and '
            'model_filename', fn USING ERRCODE = '22023';
    ELSIF size IS NOT NULL AND lower(btrim(size)) NOT IN ('mini', 'small', 'large') THEN
        RAISE EXCEPTION '%: size must be mini, small or large, not "%"', fn, size USING ERRCODE = '22023';
    ELSIF model_repo IS NOT NULL AND (btrim(model_repo) !~ '^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$'
            OR strpos(model_repo, '..') > 0) THEN
        RAISE EXCEPTION '%: model_repo must be a repository ''owner/name'' (letters, digits, . _ -), not "%"',
            fn, model_repo USING ERRCODE = '22023';
    ELSIF model_filename IS NOT NULL
            AND (btrim(model_filename) !~ '^[A-Za-z0-9][A-Za-z0-9._+-]*(/[A-Za-z0-9][A-Za-z0-9._+-]*)*$'
                 OR strpos(model_filename, '..') > 0) THEN
        RAISE EXCEPTION '%: model_filename must be a file name inside the repository (letters, digits, . _ + -, '
            'folders separated by /), not "%"', fn, model_filename USING ERRCODE = '22023';
    END IF;
END
$fn$;

-- The model that size or model_repo with model_filename choose (model alone goes through _steadytext_model): its
-- fingerprint, loaded on demand if need be.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_model_for(
    kind text, fn text, model text, model_repo text, model_filename text, size text)
RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    PERFORM ${schema}._steadytext_check_model_arguments(fn, model, model_repo, model_filename, size);
    RETURN ${schema}._steadytext_model_on_demand(kind, fn, model, size, model_repo, model_filename, NULL);
END
$fn$;

-- The fingerprint of the model the arguments name, asking a worker to load it when no live worker serves it.
-- registered: the fingerprint steadytext_models has under that name, if any. It is the answer while a live worker
-- serves it, and also while no worker is live at all (the job then waits in the queue for one, as always). A model a
-- worker loaded on demand before it stopped is registered but served by nobody: it is loaded again.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_model_on_demand(
    kind text, fn text, model text, size text, model_repo text, model_filename text, registered text)
RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_served boolean := ${schema}._steadytext_model_served(registered);
    v_key text := jsonb_build_array(kind, lower(btrim(model)), lower(btrim(size)), lower(btrim(model_repo)),
                                    btrim(model_filename))::text;
    v_label text := CASE WHEN model IS NOT NULL THEN format('model "%s"', model)
                         WHEN size IS NOT NULL
                         THEN format('the %s %s model (size "%s")', lower(btrim(size)), kind, size)
                         WHEN model_repo IS NULL AND model_filename IS NULL
                         THEN format('the default %s model', kind)
                         ELSE format('model %s/%s (model_repo, model_filename)', model_repo, model_filename) END;
    v_fp text;
    v_may_download boolean;
    v_sql text;
    v_id uuid;
BEGIN
    IF registered IS NOT NULL AND coalesce(v_served, true) THEN
        RETURN registered;
    END IF;
    IF model IS NOT NULL THEN
        PERFORM ${schema}._steadytext_check_model_arguments(fn, model, NULL, NULL, NULL);
    END IF;
    -- These arguments chose a model before, and a live worker still serves it.
    SELECT r.fingerprint INTO v_fp FROM ${schema}.steadytext_model_requests r
    WHERE r.request_key = v_key AND r.status = 'ready' AND ${schema}._steadytext_model_served(r.fingerprint)
    ORDER BY r.completed_at DESC LIMIT 1;
    IF v_fp IS NOT NULL THEN
        RETURN v_fp;
    END IF;
    IF v_served IS NULL THEN
        -- Without a worker the registry is out of reach: what SQL knows is what workers registered.
        IF model IS NOT NULL AND EXISTS (SELECT 1 FROM ${schema}.steadytext_models m
                                         WHERE m.kind = _steadytext_model_on_demand.kind) THEN
            RAISE EXCEPTION '%: model "%" is not a registered % model, and no worker is running to load it', fn,
                    model, kind
                USING ERRCODE = '22023',
                      HINT = 'SELECT name FROM steadytext_models lists the models workers serve; a running worker '
                          || 'loads the models of its registry when a call names them.';
        END IF;
        RAISE EXCEPTION '%: % is not loaded, and no worker is running to load it', fn, v_label
            USING ERRCODE = '55000',
                  HINT = 'Start the SteadyText platform; its workers load the models that calls name.';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_proc p
                   WHERE p.pronamespace = '${schema}'::regnamespace
                     AND p.proname = 'steadytext_' || CASE kind WHEN 'generation' THEN 'generate'
                                                                WHEN 'embedding' THEN 'embed' ELSE 'rerank' END
                     AND has_function_privilege(session_user, p.oid, 'EXECUTE')) THEN
        RAISE EXCEPTION '%: % is not loaded, and only callers allowed to run % models may have a worker load it',
            fn, v_label, kind USING ERRCODE = '42501';
    END IF;
    v_may_download := ${schema}._steadytext_is_admin() OR coalesce((SELECT (c.value #>> '{}')::boolean
        FROM ${schema}.steadytext_config c WHERE c.key = 'allow_model_downloads_from_sql'), false);
    -- The arguments travel as base64 of JSON, so that nothing a caller passes becomes SQL text.
    v_sql := 'SELECT ${schema}._steadytext_model_enqueue(' || quote_literal(encode(convert_to(jsonb_build_object(
        'kind', kind, 'model', btrim(model), 'size', lower(btrim(size)), 'model_repo', btrim(model_repo),
        'model_filename', btrim(model_filename), 'request_key', v_key, 'may_download', v_may_download,
        'requester', session_user)::text, 'UTF8'), 'base64')) || ')';
    v_id := ${schema}._steadytext_loopback_call(v_sql);
    RETURN ${schema}._steadytext_model_await(v_id, fn, v_label);
END
$fn$;

-- Runs a statement answering one uuid (the remote half of a request) on the loopback connection, in the loopback
-- session's own transaction; a broken loopback (the remote session died) is reopened once.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_loopback_call(remote_sql text)
RETURNS uuid LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_conn text := ${schema}._steadytext_loopback();
    v_id uuid;
BEGIN
    BEGIN
        SELECT t.id INTO v_id FROM ${dblink}.dblink(v_conn, remote_sql) AS t(id uuid);
    EXCEPTION WHEN connection_exception THEN
        PERFORM ${dblink}.dblink_disconnect(v_conn);
        v_conn := ${schema}._steadytext_loopback();
        SELECT t.id INTO v_id FROM ${dblink}.dblink(v_conn, remote_sql) AS t(id uuid);
    END;
    RETURN v_id;
END
$fn$;

-- Replaced by _steadytext_poll_pause (010): the loopback no longer listens for notifications.
DROP FUNCTION IF EXISTS ${schema}._steadytext_nap_until_done(uuid, timestamptz);

-- The remote half of a load request, in the loopback session's own transaction: joins the identical request in
-- flight (a caller who may download lets it download) or inserts one, and wakes the workers. Finished requests older
-- than a day are deleted on the way: the table holds what is loading and what was loaded lately.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_model_enqueue(payload text)
RETURNS uuid LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v jsonb := convert_from(decode(payload, 'base64'), 'UTF8')::jsonb;
    v_id uuid;
BEGIN
    DELETE FROM ${schema}.steadytext_model_requests r
    WHERE r.completed_at < clock_timestamp() - interval '1 day' AND r.status IN ('ready', 'failed');
    INSERT INTO ${schema}.steadytext_model_requests AS r
        (kind, model, size, model_repo, model_filename, request_key, may_download, requester)
    VALUES (v ->> 'kind', v ->> 'model', v ->> 'size', v ->> 'model_repo', v ->> 'model_filename',
            v ->> 'request_key', (v ->> 'may_download')::boolean, (v ->> 'requester')::name)
    ON CONFLICT (request_key) WHERE status IN ('pending', 'loading')
    DO UPDATE SET may_download = r.may_download OR EXCLUDED.may_download
    RETURNING r.request_id INTO v_id;
    PERFORM pg_notify('steadytext_model_requests', v_id::text);
    RETURN v_id;
END
$fn$;

-- Waits for a load request, up to steadytext.sync_timeout: the fingerprint once ready, the worker's error with its
-- SQLSTATE once failed (22023 for arguments the registry rejects, P0001 for the rest), or 57014 naming the model and
-- how far the load got, which goes on: the next call with the same arguments waits for the same load. READ COMMITTED
-- callers read the request directly; others through the loopback, which sees every commit.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_model_await(request_id uuid, fn text, label text)
RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_timeout interval := ${schema}._steadytext_sync_timeout();
    v_deadline timestamptz := clock_timestamp() + v_timeout;
    v_local boolean := current_setting('transaction_isolation') = 'read committed';
    v_conn text := ${schema}._steadytext_loopback();
    v_sql text := format('SELECT status, fingerprint, error, error_code, progress '
        || 'FROM ${schema}.steadytext_model_requests WHERE request_id = %L', request_id);
    v_status text;
    v_fp text;
    v_error text;
    v_code text;
    v_progress text;
    v_pauses int := 0;
BEGIN
    LOOP
        IF v_local THEN
            SELECT r.status, r.fingerprint, r.error, r.error_code, r.progress
            INTO v_status, v_fp, v_error, v_code, v_progress
            FROM ${schema}.steadytext_model_requests r WHERE r.request_id = _steadytext_model_await.request_id;
        ELSE
            SELECT t.status, t.fingerprint, t.error, t.error_code, t.progress
            INTO v_status, v_fp, v_error, v_code, v_progress
            FROM ${dblink}.dblink(v_conn, v_sql)
                AS t(status text, fingerprint text, error text, error_code text, progress text);
        END IF;
        IF v_status = 'ready' THEN
            RETURN v_fp;
        ELSIF v_status = 'failed' THEN
            RAISE EXCEPTION '%: %', fn, v_error USING ERRCODE = coalesce(v_code, 'P0001');
        ELSIF clock_timestamp() >= v_deadline THEN
            RAISE EXCEPTION '%', format('%s: %s is not loaded yet after %s (%s); the worker goes on loading it', fn,
                    label, v_timeout, CASE WHEN v_status = 'pending' THEN 'no worker has started the load'
                                           ELSE coalesce(v_progress, 'loading') END)
                USING ERRCODE = '57014',
                      HINT = format('SELECT * FROM steadytext_model_loads WHERE request_id = %L shows its progress; '
                          || 'SET steadytext.sync_timeout = ''10min'' waits longer.', request_id);
        END IF;
        v_pauses := ${schema}._steadytext_poll_pause(v_pauses, v_deadline);
    END LOOP;
END
$fn$;

-- Model loads for people: what was asked, how far the worker got, what came of it (the requester is left out).
CREATE OR REPLACE VIEW ${schema}.steadytext_model_loads AS
    SELECT r.request_id, r.kind,
           coalesce(r.model, CASE WHEN r.size IS NOT NULL THEN 'size ' || r.size END,
                    r.model_repo || '/' || r.model_filename, 'default') AS requested,
           r.model_name, r.status, r.progress, r.bytes_done, r.bytes_total, r.fingerprint, r.error, r.worker_id,
           r.created_at, r.started_at, r.updated_at, r.completed_at
    FROM ${schema}.steadytext_model_requests r;

--changeset steadytext:095-models-grants runOnChange:true splitStatements:false
-- Privileges, in the roles of 050-roles.sql: the functions above are internal (050, running again after a change,
-- revokes EXECUTE on every _steadytext_* function it does not list as an entry point; this does so on the first
-- install too). Everyone who may read steadytext_models may read steadytext_model_loads; the worker reads and writes
-- the requests.
DO $do$
DECLARE
    v_fn regprocedure;
BEGIN
    FOR v_fn IN
        SELECT p.oid::regprocedure FROM pg_proc p WHERE p.pronamespace = '${schema}'::regnamespace
          AND p.proname IN ('_steadytext_model_served', '_steadytext_live_models', '_steadytext_check_model_arguments',
                            '_steadytext_model_for',
                            '_steadytext_model_on_demand', '_steadytext_loopback_call',
                            '_steadytext_model_enqueue', '_steadytext_model_await')
    LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', v_fn);
    END LOOP;
    EXECUTE 'GRANT SELECT ON ${schema}.steadytext_model_loads TO PUBLIC';
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steadytext_user') THEN
        EXECUTE 'GRANT SELECT ON ${schema}.steadytext_model_loads TO steadytext_user';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steadytext_admin') THEN
        EXECUTE 'GRANT SELECT ON ${schema}.steadytext_model_requests TO steadytext_admin';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steadytext_worker') THEN
        EXECUTE 'GRANT SELECT, UPDATE, DELETE ON ${schema}.steadytext_model_requests TO steadytext_worker';
    END IF;
END
$do$;
