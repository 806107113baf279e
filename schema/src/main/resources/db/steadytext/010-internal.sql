--liquibase formatted sql

-- Internal functions (prefix _steadytext_). EXECUTE on them is revoked from PUBLIC (050-roles.sql): users reach them
-- only through the functions of 020/030 (the three entry points of the cache-hit path excepted, see 050). Every
-- function qualifies every name, and every SECURITY DEFINER function pins search_path. The cache-hit path itself
-- (020-requests.sql) calls none of them: it computes the keys inline, the same way.

--changeset steadytext:010-internal runOnChange:true splitStatements:false
-- The canonical cache key, byte for byte dev.steadytext.api.cache.CacheKey.compute: lowercase hex SHA-256 of
--   steadytext-cache-key-v1\n kind=<n>:<kind>\n model=<n>:<fp>\n param.<name>=<n>:<value>\n... input=<n>:<input>\n
-- with <n> the UTF-8 byte length and parameters in code-point order of their names (COLLATE "C" = byte order, the
-- same for the ASCII names we use). params maps names to JSON strings or numbers.
CREATE OR REPLACE FUNCTION ${schema}.steadytext_cache_key_canonical(
    kind text, model_fingerprint text, params jsonb, input text)
RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT encode(sha256(convert_to(
        'steadytext-cache-key-v1' || E'\n'
        || 'kind=' || octet_length($1) || ':' || $1 || E'\n'
        || 'model=' || octet_length($2) || ':' || $2 || E'\n'
        || coalesce((SELECT string_agg('param.' || p.key || '=' || octet_length(p.value) || ':' || p.value || E'\n',
                                       '' ORDER BY p.key COLLATE "C")
                     FROM jsonb_each_text($3) AS p), '')
        || 'input=' || octet_length($4) || ':' || $4 || E'\n',
        'UTF8')), 'hex')
$fn$;

-- The generation key, the same encoding unrolled for the three generation parameters (the cache-hit functions of
-- 020 compute it inline, with format(); keep them in step). PL/pgSQL, not SQL: a SQL function that cannot be inlined
-- is parsed and planned again in every statement that calls it; PL/pgSQL caches per session.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_generation_key(
    model_fingerprint text, max_tokens int, seed int, eos_string text, prompt text)
RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $fn$
BEGIN
    RETURN encode(sha256(convert_to(
        'steadytext-cache-key-v1' || E'\n' || 'kind=10:generation' || E'\n'
        || 'model=' || octet_length(model_fingerprint) || ':' || model_fingerprint || E'\n'
        || 'param.eos_string=' || octet_length(eos_string) || ':' || eos_string || E'\n'
        || 'param.max_tokens=' || octet_length(max_tokens::text) || ':' || max_tokens || E'\n'
        || 'param.seed=' || octet_length(seed::text) || ':' || seed || E'\n'
        || 'input=' || octet_length(prompt) || ':' || prompt || E'\n',
        'UTF8')), 'hex');
END
$fn$;

CREATE OR REPLACE FUNCTION ${schema}._steadytext_embedding_key(model_fingerprint text, input text)
RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $fn$
BEGIN
    RETURN encode(sha256(convert_to(
        'steadytext-cache-key-v1' || E'\n' || 'kind=9:embedding' || E'\n'
        || 'model=' || octet_length(model_fingerprint) || ':' || model_fingerprint || E'\n'
        || 'input=' || octet_length(input) || ':' || input || E'\n',
        'UTF8')), 'hex');
END
$fn$;

-- Reads the config values and default models the request functions need into session settings
-- (steadytext.s_*), so that a cache hit reads no config. The hit path uses only the config values (limits,
-- default_max_tokens and the hot-hit sampling), for at most session_cache_seconds; it resolves models from steadytext_models itself, so that
-- a change of the default model shows at the very next call. The slow path re-reads them all before it looks up or
-- enqueues anything (a user can SET them, but can only fool their own cache lookups that way).
CREATE OR REPLACE FUNCTION ${schema}._steadytext_refresh_session()
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v jsonb;
    v_live text[] := ${schema}._steadytext_live_models();
    v_generation text;
    v_set text; -- set_config's answer, unused: an assignment is evaluated without the executor a PERFORM starts
BEGIN
    SELECT jsonb_object_agg(c.key, c.value) INTO v FROM ${schema}.steadytext_config c
    WHERE c.key IN ('default_max_tokens', 'max_tokens_limit', 'max_input_length', 'session_cache_seconds', 'max_attempts',
                    'cache_hot_hit_sampling', 'cache_access_trace');
    v := coalesce(v, '{}');
    v_set := set_config('steadytext.s_default_max_tokens', coalesce(v ->> 'default_max_tokens', '512'), false);
    v_set := set_config('steadytext.s_max_tokens_limit', coalesce(v ->> 'max_tokens_limit', '4096'), false);
    v_set := set_config('steadytext.s_max_input_length', coalesce(v ->> 'max_input_length', '65536'), false);
    v_set := set_config('steadytext.s_max_attempts', coalesce(v ->> 'max_attempts', '3'), false);
    -- n of config cache_hot_hit_sampling: the hit paths log one in n of a hot entry's hits, with weight n. A trace
    -- being recorded for the simulator gets every hit as it happened.
    v_set := set_config('steadytext.s_hot_hit_sampling', CASE WHEN v -> 'cache_access_trace' = 'true' THEN '1'
        ELSE greatest(1, least(1024, round(coalesce(CASE WHEN jsonb_typeof(v -> 'cache_hot_hit_sampling') = 'number'
                                                         THEN (v ->> 'cache_hot_hit_sampling')::numeric END, 16))))::text END,
        false);
    -- A default a live worker serves first: rows of stopped workers stay, and must not shadow it. Then the newest,
    -- and the fingerprint, so that a tie (one heartbeat stamps all of a worker's models) is always broken alike.
    v_generation := coalesce((
        SELECT m.fingerprint FROM ${schema}.steadytext_models m
        WHERE m.kind = 'generation' AND m.is_default
        ORDER BY coalesce(m.fingerprint = ANY (v_live), false) DESC, m.last_seen DESC,
                 m.fingerprint LIMIT 1), '');
    v_set := set_config('steadytext.s_model_generation', v_generation, false);
    -- Whether a live worker serves that default: false sends the next call naming no model to load one
    -- (_steadytext_model); empty when no worker is live, and the job then waits for one.
    v_set := set_config('steadytext.s_model_generation_served',
        CASE WHEN v_live IS NULL THEN '' ELSE (v_generation = ANY (v_live))::text END, false);
    v_set := set_config('steadytext.s_model_embedding', coalesce((
        SELECT m.fingerprint FROM ${schema}.steadytext_models m
        WHERE m.kind = 'embedding' AND m.is_default
        ORDER BY coalesce(m.fingerprint = ANY (v_live), false) DESC, m.last_seen DESC,
                 m.fingerprint LIMIT 1), ''), false);
    v_set := set_config('steadytext.s_until',
        (extract(epoch FROM clock_timestamp()) + coalesce((v ->> 'session_cache_seconds')::float8, 1))::text, false);
END
$fn$;

-- Resolves a model argument to a fingerprint: NULL -> the default model of the kind (for generation, loaded on demand
-- when no worker serves one), else a registered name (or a fingerprint) that a live worker serves, else the model a
-- worker loads on demand (095-models.sql). fresh = false may answer from the session settings (see
-- _steadytext_refresh_session).
CREATE OR REPLACE FUNCTION ${schema}._steadytext_model(
    kind text, model text, unsafe_mode boolean, fn text, fresh boolean)
RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_fp text;
BEGIN
    IF model IS NULL THEN
        v_fp := current_setting('steadytext.s_model_' || kind, true);
        IF coalesce(v_fp, '') = '' AND NOT fresh THEN
            PERFORM ${schema}._steadytext_refresh_session();
            v_fp := current_setting('steadytext.s_model_' || kind, true);
        END IF;
        IF kind = 'generation' AND coalesce(v_fp, '') <> ''
                AND current_setting('steadytext.s_model_generation_served', true) IS DISTINCT FROM 'false' THEN
            -- What _steadytext_model_on_demand answers for a default that a live worker serves (or when none is
            -- live), as the refresh found it: it need not ask the workers again.
            RETURN v_fp;
        END IF;
        IF kind = 'generation' AND (coalesce(v_fp, '') <> '' OR ${schema}._steadytext_model_served(NULL) IS NOT NULL)
        THEN
            -- The default as long as a live worker serves it (or none is live: the job waits for one, as always).
            -- Else live workers serve no default generation model (none was configured, or the one registered was
            -- loaded on demand before a restart): one loads its registry's default, downloading it where allowed, as
            -- pg_steadytext's first call did, and registers it as the default.
            RETURN ${schema}._steadytext_model_on_demand(kind, fn, NULL, NULL, NULL, NULL, nullif(v_fp, ''));
        END IF;
        IF coalesce(v_fp, '') = '' THEN
            RAISE EXCEPTION '%: no worker has registered a % model yet', fn, kind
                USING ERRCODE = '55000',
                      HINT = 'Start the SteadyText platform; its workers register their models when they start.';
        END IF;
        RETURN v_fp;
    END IF;
    IF position(':' IN model) > 0 THEN
        IF NOT unsafe_mode THEN
            RAISE EXCEPTION '%: model "%" names a remote provider, which requires unsafe_mode => true', fn, model
                USING ERRCODE = '22023';
        END IF;
        RAISE EXCEPTION '%: remote model providers (model "%") are not supported yet', fn, model
            USING ERRCODE = '0A000';
    END IF;
    SELECT m.fingerprint INTO v_fp FROM ${schema}.steadytext_models m
    WHERE m.kind = _steadytext_model.kind AND (m.name = model OR m.fingerprint = model)
    ORDER BY m.is_default DESC, m.last_seen DESC, m.fingerprint LIMIT 1;
    RETURN ${schema}._steadytext_model_on_demand(kind, fn, model, NULL, NULL, NULL, v_fp);
END
$fn$;

-- Validates a generation request and computes its model, max_tokens and cache key. Settings come from the session
-- (fresh = false: steadytext_generate_batch_async after its first prompt) or are re-read first (fresh = true).
-- model_repo and model_filename were added after the first release: the old signature goes.
DROP FUNCTION IF EXISTS ${schema}._steadytext_generation_request(text, text, int, boolean, int, text, text, text,
    boolean, boolean);
CREATE OR REPLACE FUNCTION ${schema}._steadytext_generation_request(
    fn text, prompt text, max_tokens int, use_cache boolean, seed int, eos_string text, model text, size text,
    unsafe_mode boolean, fresh boolean, model_repo text DEFAULT NULL, model_filename text DEFAULT NULL,
    OUT model_fingerprint text, OUT effective_max_tokens int, OUT cache_key text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_limit int;
BEGIN
    IF fresh OR coalesce(current_setting('steadytext.s_until', true), '') = ''
            OR current_setting('steadytext.s_until')::float8 < extract(epoch FROM clock_timestamp()) THEN
        PERFORM ${schema}._steadytext_refresh_session();
    END IF;
    IF prompt IS NULL THEN
        RAISE EXCEPTION '%: prompt must not be NULL', fn USING ERRCODE = '22004';
    ELSIF use_cache IS NULL THEN
        RAISE EXCEPTION '%: use_cache must not be NULL', fn USING ERRCODE = '22004';
    ELSIF seed IS NULL THEN
        RAISE EXCEPTION '%: seed must not be NULL', fn USING ERRCODE = '22004';
    ELSIF eos_string IS NULL THEN
        RAISE EXCEPTION '%: eos_string must not be NULL (use ''[EOS]'' for none)', fn USING ERRCODE = '22004';
    ELSIF unsafe_mode IS NULL THEN
        RAISE EXCEPTION '%: unsafe_mode must not be NULL', fn USING ERRCODE = '22004';
    ELSIF prompt = '' THEN
        RAISE EXCEPTION '%: prompt must not be empty', fn USING ERRCODE = '22023';
    END IF;
    IF length(prompt) > current_setting('steadytext.s_max_input_length')::int THEN
        RAISE EXCEPTION '%: prompt is % characters long; the limit is % (config max_input_length)',
            fn, length(prompt), current_setting('steadytext.s_max_input_length') USING ERRCODE = '54000';
    END IF;
    effective_max_tokens := coalesce(max_tokens, current_setting('steadytext.s_default_max_tokens')::int);
    v_limit := current_setting('steadytext.s_max_tokens_limit')::int;
    IF effective_max_tokens < 1 OR effective_max_tokens > v_limit THEN
        RAISE EXCEPTION '%: max_tokens must be between 1 and % (config max_tokens_limit), not %',
            fn, v_limit, effective_max_tokens USING ERRCODE = '22023';
    END IF;
    IF seed < 0 THEN
        RAISE EXCEPTION '%: seed must not be negative, not %', fn, seed USING ERRCODE = '22023';
    END IF;
    IF size IS NOT NULL AND size NOT IN ('mini', 'small', 'large') THEN
        RAISE EXCEPTION '%: size must be mini, small or large, not "%"', fn, size USING ERRCODE = '22023';
    END IF;
    -- The default model straight from the session settings for a batch's later prompts (fresh = false: the first
    -- one checked that a worker serves it). size and model_repo with model_filename choose a model of the worker's
    -- registry (095-models.sql).
    model_fingerprint := CASE WHEN NOT fresh AND model IS NULL AND size IS NULL AND model_repo IS NULL
                                   AND model_filename IS NULL
                              THEN current_setting('steadytext.s_model_generation', true) END;
    IF coalesce(model_fingerprint, '') = '' THEN
        model_fingerprint := CASE WHEN size IS NULL AND model_repo IS NULL AND model_filename IS NULL
            THEN ${schema}._steadytext_model('generation', model, unsafe_mode, fn, fresh)
            ELSE ${schema}._steadytext_model_for('generation', fn, model, model_repo, model_filename, size) END;
    END IF;
    cache_key := ${schema}._steadytext_generation_key(model_fingerprint, effective_max_tokens, seed, eos_string, prompt);
END
$fn$;

-- Validates one text to embed and computes its model and cache key; arg names the argument in messages.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_embedding_request(
    fn text, arg text, input text, use_cache boolean, seed int, model text, unsafe_mode boolean, fresh boolean,
    OUT model_fingerprint text, OUT cache_key text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF fresh OR coalesce(current_setting('steadytext.s_until', true), '') = ''
            OR current_setting('steadytext.s_until')::float8 < extract(epoch FROM clock_timestamp()) THEN
        PERFORM ${schema}._steadytext_refresh_session();
    END IF;
    IF input IS NULL THEN
        RAISE EXCEPTION '%: % must not be NULL', fn, arg USING ERRCODE = '22004';
    ELSIF use_cache IS NULL THEN
        RAISE EXCEPTION '%: use_cache must not be NULL', fn USING ERRCODE = '22004';
    ELSIF seed IS NULL THEN
        RAISE EXCEPTION '%: seed must not be NULL', fn USING ERRCODE = '22004';
    ELSIF unsafe_mode IS NULL THEN
        RAISE EXCEPTION '%: unsafe_mode must not be NULL', fn USING ERRCODE = '22004';
    ELSIF input = '' THEN
        RAISE EXCEPTION '%: % must not be empty', fn, arg USING ERRCODE = '22023';
    ELSIF seed < 0 THEN
        RAISE EXCEPTION '%: seed must not be negative, not %', fn, seed USING ERRCODE = '22023';
    END IF;
    IF length(input) > current_setting('steadytext.s_max_input_length')::int THEN
        RAISE EXCEPTION '%: % is % characters long; the limit is % (config max_input_length)',
            fn, arg, length(input), current_setting('steadytext.s_max_input_length') USING ERRCODE = '54000';
    END IF;
    model_fingerprint := CASE WHEN model IS NULL THEN current_setting('steadytext.s_model_embedding', true) END;
    IF coalesce(model_fingerprint, '') = '' THEN
        model_fingerprint := ${schema}._steadytext_model('embedding', model, unsafe_mode, fn, fresh);
    END IF;
    -- The seed cannot change a vector, so it is not part of the key (see CacheKey).
    cache_key := ${schema}._steadytext_embedding_key(model_fingerprint, input);
END
$fn$;

-- Validates a texts[] argument: not NULL, not empty, no NULL or empty element, none too long.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_check_array(fn text, arg text, items text[])
RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_i int;
    v_limit int := current_setting('steadytext.s_max_input_length')::int;
BEGIN
    IF items IS NULL THEN
        RAISE EXCEPTION '%: % must not be NULL', fn, arg USING ERRCODE = '22004';
    ELSIF cardinality(items) = 0 THEN
        RAISE EXCEPTION '%: % must not be empty', fn, arg USING ERRCODE = '22023';
    ELSIF array_ndims(items) <> 1 THEN
        RAISE EXCEPTION '%: % must be a one-dimensional array', fn, arg USING ERRCODE = '22023';
    END IF;
    FOR v_i IN array_lower(items, 1) .. array_upper(items, 1) LOOP
        IF items[v_i] IS NULL THEN
            RAISE EXCEPTION '%: %[%] is NULL', fn, arg, v_i USING ERRCODE = '22004';
        ELSIF items[v_i] = '' THEN
            RAISE EXCEPTION '%: %[%] is empty', fn, arg, v_i USING ERRCODE = '22023';
        ELSIF length(items[v_i]) > v_limit THEN
            RAISE EXCEPTION '%: %[%] is % characters long; the limit is % (config max_input_length)',
                fn, arg, v_i, length(items[v_i]), v_limit USING ERRCODE = '54000';
        END IF;
    END LOOP;
END
$fn$;

-- The named dblink connection of this session to its own database, opened once and reused. Where it connects:
--  1. config loopback_connstr, if set (a libpq connection string);
--  2. else the foreign server steadytext_loopback, if it exists. On managed PostgreSQL without a superuser, dblink
--     refuses password-less connections of non-superusers, so create (as the role that owns these functions):
--       CREATE SERVER steadytext_loopback FOREIGN DATA WRAPPER dblink_fdw
--           OPTIONS (host 'localhost', port '5432', dbname '<this database>');
--       GRANT USAGE ON FOREIGN SERVER steadytext_loopback TO <owner role>;
--       CREATE USER MAPPING FOR <owner role> SERVER steadytext_loopback
--           OPTIONS (user '<owner role>', password '<its password>');
--     and let the owner use dblink: GRANT USAGE ON SCHEMA steadytext_private TO <owner role>;
--     GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA steadytext_private TO <owner role>. The password sits in the user
--     mapping, which only its owner and superusers can read; do not put one in config loopback_connstr, which
--     steadytext_user can read. (NonSuperuserLoopbackIT runs exactly this setup.)
--  3. else this server's first Unix socket directory (or localhost) and port, as the functions' owner.
-- The remote session runs READ COMMITTED with full float precision, whatever the server defaults, so that it sees
-- every commit at once and embeddings cross the connection bit for bit. Its commits (the enqueues of synchronous
-- requests) are asynchronous, sparing each miss a WAL flush: a server crash that loses one also ends the caller's
-- session, which was waiting for that job and never saw its request id. It listens on nothing between calls: every
-- NOTIFY in the database wakes every listening session, and one listening loopback per client session was most of
-- what a miss cost at 8 clients (waits use the worker's advisory locks instead, see _steadytext_await_running).
CREATE OR REPLACE FUNCTION ${schema}._steadytext_loopback()
RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_name constant text := 'steadytext_${schema}';
    v_connstr text;
    v_socket text;
BEGIN
    IF v_name = ANY (coalesce(${dblink}.dblink_get_connections(), '{}')) THEN
        RETURN v_name;
    END IF;
    SELECT c.value #>> '{}' INTO v_connstr FROM ${schema}.steadytext_config c WHERE c.key = 'loopback_connstr';
    IF coalesce(v_connstr, '') = '' THEN
        IF EXISTS (SELECT 1 FROM pg_foreign_server s WHERE s.srvname = 'steadytext_loopback') THEN
            v_connstr := 'steadytext_loopback';
        ELSE
            v_socket := btrim(split_part(coalesce(current_setting('unix_socket_directories', true), ''), ',', 1));
            v_connstr := format('host=%s port=%s dbname=%s user=%s',
                ${schema}._steadytext_libpq_quote(CASE WHEN v_socket = '' THEN 'localhost' ELSE v_socket END),
                current_setting('port'),
                ${schema}._steadytext_libpq_quote(current_database()),
                ${schema}._steadytext_libpq_quote(current_user));
        END IF;
    END IF;
    BEGIN
        PERFORM ${dblink}.dblink_connect(v_name, v_connstr);
    EXCEPTION WHEN OTHERS THEN
        RAISE EXCEPTION 'steadytext: cannot open the dblink loopback connection: %', SQLERRM
            USING ERRCODE = '08001',
                  HINT = 'Set config loopback_connstr, or create the foreign server steadytext_loopback with a user '
                      || 'mapping for the owner of the steadytext functions (see the steadytext install notes).';
    END;
    PERFORM ${dblink}.dblink_exec(v_name,
        'SET default_transaction_isolation = ''read committed''; SET default_transaction_read_only = off; '
        || 'SET extra_float_digits = 3; SET statement_timeout = 0; SET idle_in_transaction_session_timeout = 0; '
        || 'SET synchronous_commit = off; SET application_name = ''steadytext loopback''');
    RETURN v_name;
END
$fn$;

CREATE OR REPLACE FUNCTION ${schema}._steadytext_libpq_quote(value text)
RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT '''' || replace(replace($1, '\', '\\'), '''', '\''') || ''''
$fn$;

-- The remote half of a synchronous enqueue, run in the loopback session's own short transaction. payload is
-- base64 of a JSON array of requests, so that no user text is ever part of the SQL sent over dblink. For each request:
-- the cache again (it may have been filled meanwhile), else the in-flight identical job (coalescing), else a new job.
-- One NOTIFY steadytext_jobs per request type wakes the workers when this transaction commits.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_enqueue(payload text)
RETURNS SETOF ${schema}.steadytext_job_state LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_req jsonb;
    v_ord int := 0;
    v_id uuid;
    v_out ${schema}.steadytext_job_state;
    v_types text[] := '{}';
    v_type text;
    v_attempt int;
BEGIN
    FOR v_req IN SELECT e FROM jsonb_array_elements(convert_from(decode(payload, 'base64'), 'UTF8')::jsonb) AS e LOOP
        v_ord := v_ord + 1;
        v_out := ROW(v_ord, NULL, NULL, NULL, NULL, NULL, NULL);
        IF (v_req ->> 'use_cache')::boolean THEN
            -- Bounded: each round either finds the result, an in-flight job, or inserts one; a retry happens only
            -- when the in-flight job ended between our INSERT and SELECT.
            FOR v_attempt IN 1 .. 10 LOOP
                SELECT c.response, c.embedding INTO v_out.result, v_out.embedding
                FROM ${schema}.steadytext_cache c WHERE c.cache_key = v_req ->> 'cache_key';
                IF FOUND THEN
                    v_out.status := 'cached';
                    EXIT;
                END IF;
                v_id := NULL;
                INSERT INTO ${schema}.steadytext_queue AS q
                    (request_type, model_fingerprint, use_cache, coalescible, cache_key, prompt, params, requester,
                     max_attempts)
                VALUES (v_req ->> 'type', v_req ->> 'model', true, true, v_req ->> 'cache_key', v_req ->> 'prompt',
                        v_req -> 'params', (v_req ->> 'requester')::name, (v_req ->> 'max_attempts')::int)
                ON CONFLICT (cache_key) WHERE coalescible AND status IN ('pending', 'processing') DO NOTHING
                RETURNING q.request_id INTO v_id;
                IF v_id IS NOT NULL THEN
                    -- The identical job may have completed between our cache lookup and the INSERT (its completed
                    -- row no longer conflicts): this statement's fresh snapshot then sees its cache row.
                    SELECT c.response, c.embedding INTO v_out.result, v_out.embedding
                    FROM ${schema}.steadytext_cache c WHERE c.cache_key = v_req ->> 'cache_key';
                    IF FOUND THEN
                        DELETE FROM ${schema}.steadytext_queue q WHERE q.request_id = v_id;
                        v_out.status := 'cached';
                        EXIT;
                    END IF;
                    v_types := v_types || (v_req ->> 'type');
                ELSE
                    SELECT q.request_id INTO v_id FROM ${schema}.steadytext_queue q
                    WHERE q.cache_key = v_req ->> 'cache_key' AND q.coalescible AND q.status IN ('pending', 'processing');
                END IF;
                IF v_id IS NOT NULL THEN
                    v_out.request_id := v_id;
                    v_out.status := 'pending';
                    EXIT;
                END IF;
            END LOOP;
            IF v_out.status IS NULL THEN
                RAISE EXCEPTION 'steadytext: could not enqueue request for cache key %', v_req ->> 'cache_key';
            END IF;
        ELSE
            INSERT INTO ${schema}.steadytext_queue AS q
                (request_type, model_fingerprint, use_cache, coalescible, cache_key, prompt, params, requester,
                 max_attempts)
            VALUES (v_req ->> 'type', v_req ->> 'model', false, false, v_req ->> 'cache_key', v_req ->> 'prompt',
                    v_req -> 'params', (v_req ->> 'requester')::name, (v_req ->> 'max_attempts')::int)
            RETURNING q.request_id INTO v_id;
            v_types := v_types || (v_req ->> 'type');
            v_out.request_id := v_id;
            v_out.status := 'pending';
        END IF;
        RETURN NEXT v_out;
    END LOOP;
    FOR v_type IN SELECT DISTINCT t FROM unnest(v_types) AS t LOOP
        PERFORM pg_notify('steadytext_jobs', v_type);
    END LOOP;
END
$fn$;

-- The state of some jobs, in the order asked; a missing (or not yet committed) job has status NULL. PL/pgSQL, not
-- SQL: a SQL function with a SET clause is planned again at every call, which made each poll of a waiting caller
-- cost a third of a millisecond; PL/pgSQL keeps the plan for the session. It must keep the generic plan too: the
-- planner prices it for ten ids and a custom plan for the one a sync caller polls, so it would otherwise plan every
-- poll again (a sixth of a waiting caller's CPU at 8 clients, about 0.3 ms a miss).
CREATE OR REPLACE FUNCTION ${schema}._steadytext_poll(ids uuid[])
RETURNS SETOF ${schema}.steadytext_job_state LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET plan_cache_mode = force_generic_plan
AS $fn$
BEGIN
    RETURN QUERY
        SELECT i.ord::int, i.id, q.status, q.result, q.embedding, q.embeddings, q.error
        FROM unnest(ids) WITH ORDINALITY AS i(id, ord)
        LEFT JOIN ${schema}.steadytext_queue q ON q.request_id = i.id
        ORDER BY i.ord;
END
$fn$;

-- The state of some jobs without their results: what a caller waiting for many jobs polls, so that it reads each
-- result once, when all are done, instead of re-reading every finished embedding at every poll.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_poll_status(ids uuid[])
RETURNS SETOF ${schema}.steadytext_job_state LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET plan_cache_mode = force_generic_plan
AS $fn$
BEGIN
    RETURN QUERY
        SELECT i.ord::int, i.id, q.status, NULL::text, NULL::real[], NULL::real[], q.error
        FROM unnest(ids) WITH ORDINALITY AS i(id, ord)
        LEFT JOIN ${schema}.steadytext_queue q ON q.request_id = i.id
        ORDER BY i.ord;
END
$fn$;

-- Sends requests (a JSON array, see _steadytext_enqueue) over the loopback in one round trip. A broken loopback
-- (the remote session died) is reopened once.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_submit(requests jsonb)
RETURNS SETOF ${schema}.steadytext_job_state LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_conn text := ${schema}._steadytext_loopback();
    v_sql text := 'SELECT * FROM ${schema}._steadytext_enqueue('
        || quote_literal(encode(convert_to(requests::text, 'UTF8'), 'base64')) || ')';
BEGIN
    BEGIN
        RETURN QUERY SELECT * FROM ${dblink}.dblink(v_conn, v_sql) AS t(
            ord int, request_id uuid, status text, result text, embedding real[], embeddings real[], error text);
    EXCEPTION WHEN connection_exception THEN
        PERFORM ${dblink}.dblink_disconnect(v_conn);
        v_conn := ${schema}._steadytext_loopback();
        RETURN QUERY SELECT * FROM ${dblink}.dblink(v_conn, v_sql) AS t(
            ord int, request_id uuid, status text, result text, embedding real[], embeddings real[], error text);
    END;
END
$fn$;

-- The session setting steadytext.sync_timeout (an interval such as '3s', or seconds), else config
-- sync_timeout_seconds, else 30 s. Synchronous calls read it before they enqueue anything (v_timeout), so that a bad
-- setting leaves no job behind.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_sync_timeout()
RETURNS interval LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v text := btrim(coalesce(current_setting('steadytext.sync_timeout', true), ''));
BEGIN
    IF v = '' THEN
        RETURN coalesce((SELECT (c.value #>> '{}')::float8 FROM ${schema}.steadytext_config c
                         WHERE c.key = 'sync_timeout_seconds'), 30) * interval '1 second';
    ELSIF v ~ '^[0-9]+(\.[0-9]*)?$' THEN
        RETURN v::float8 * interval '1 second';
    END IF;
    -- Only here a block with an exception handler, which costs a subtransaction each time it runs: every sync miss
    -- asks for its timeout.
    BEGIN
        RETURN v::interval;
    EXCEPTION WHEN data_exception THEN
        RAISE EXCEPTION 'steadytext.sync_timeout must be an interval such as ''3s'' or ''500ms'', not "%"', v
            USING ERRCODE = '22023';
    END;
END
$fn$;

-- A pause between two polls of a wait, the n-th (from 0): 1 ms, doubling up to 16 ms, and never past until. Returns
-- n + 1. pg_sleep waits in whole milliseconds and waits once more when its timer fires a hair early, so asking for
-- exactly 1 ms sleeps 2 ms on some machines; asking for half a millisecond less rounds up to the pause meant. No
-- notification ends a pause early: a LISTENing session is woken by every NOTIFY of the database, which costs each
-- miss far more than the polls do.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_poll_pause(n int, until timestamptz)
RETURNS int LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    PERFORM pg_sleep(greatest(0, least(0.001 * (1 << least(n, 4)) - 0.0005,
                                       extract(epoch FROM until - clock_timestamp()))));
    RETURN n + 1;
END
$fn$;
REVOKE ALL ON FUNCTION ${schema}._steadytext_poll_pause(int, timestamptz) FROM PUBLIC;

-- Waits while a worker runs the job: the worker holds the advisory lock (1398035285, hashtext(request_id)) from its
-- claim until the job's end has committed (queue-postgres JobWakeLocks), and the lock manager wakes whoever waits for
-- it in shared mode the moment it is let go. Returns false at once when no worker holds the lock (the job is not
-- claimed yet, or its worker could not lock it); true after the lock came free, or after 100 ms (never past until),
-- so the caller polls again either way (a lock is a hint, the queue row the truth). The lock_timeout set inside lasts
-- only as long as this call: the SET clause restores the caller's on the way out.
DROP FUNCTION IF EXISTS ${schema}._steadytext_await_running(uuid);
CREATE OR REPLACE FUNCTION ${schema}._steadytext_await_running(request_id uuid, until timestamptz)
RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET lock_timeout = '100ms'
AS $fn$
DECLARE
    v_key constant int := hashtext(request_id::text);
BEGIN
    IF pg_try_advisory_lock_shared(1398035285, v_key) THEN
        PERFORM pg_advisory_unlock_shared(1398035285, v_key);
        RETURN false;
    END IF;
    PERFORM set_config('lock_timeout',
        greatest(1, least(100, ceil(extract(epoch FROM until - clock_timestamp()) * 1000)))::int || 'ms', true);
    PERFORM pg_advisory_lock_shared(1398035285, v_key);
    PERFORM pg_advisory_unlock_shared(1398035285, v_key);
    RETURN true;
EXCEPTION WHEN lock_not_available THEN
    RETURN true;
END
$fn$;
REVOKE ALL ON FUNCTION ${schema}._steadytext_await_running(uuid, timestamptz) FROM PUBLIC;

-- Waits until every job has completed, and returns their states in order. Raises P0001 when a job failed (with the
-- worker's error), 57014 when one was cancelled or the timeout passed (the jobs stay queued).
-- READ COMMITTED callers poll the queue directly: each statement of this VOLATILE function takes a new snapshot.
-- REPEATABLE READ and SERIALIZABLE callers would never see the worker's commit that way, so they poll through the
-- loopback connection. Between two polls the caller waits on the running job's lock (_steadytext_await_running),
-- or pauses (_steadytext_poll_pause) while the job waits for a worker.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_await(ids uuid[], fn text, timeout interval)
RETURNS SETOF ${schema}.steadytext_job_state LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_timeout interval := coalesce(timeout, ${schema}._steadytext_sync_timeout());
    v_deadline timestamptz := clock_timestamp() + v_timeout;
    v_local boolean := current_setting('transaction_isolation') = 'read committed';
    v_conn text := CASE WHEN v_local THEN NULL ELSE ${schema}._steadytext_loopback() END;
    -- One job's result is small: it is read with its status. Many are read once, when all are done.
    v_with_results boolean := cardinality(ids) = 1;
    v_sql text := format('SELECT * FROM ${schema}._steadytext_poll(%L)', ids);
    -- The jobs not seen completed yet: the only ones whose status is polled again.
    v_open_ids uuid[] := ids;
    v_rows ${schema}.steadytext_job_state[];
    r ${schema}.steadytext_job_state;
    v_open int;
    v_first uuid;
    v_first_status text;
    v_pauses int := 0;
BEGIN
    LOOP
        IF v_local AND v_with_results THEN
            v_rows := ARRAY(SELECT p FROM ${schema}._steadytext_poll(ids) AS p);
        ELSIF v_local THEN
            v_rows := ARRAY(SELECT p FROM ${schema}._steadytext_poll_status(v_open_ids) AS p);
        ELSE
            v_rows := ARRAY(SELECT ROW(t.*)::${schema}.steadytext_job_state FROM ${dblink}.dblink(v_conn,
                CASE WHEN v_with_results THEN v_sql
                     ELSE format('SELECT * FROM ${schema}._steadytext_poll_status(%L)', v_open_ids) END) AS t(
                ord int, request_id uuid, status text, result text, embedding real[], embeddings real[], error text));
        END IF;
        v_open := 0;
        v_first := NULL;
        FOREACH r IN ARRAY v_rows LOOP
            CASE r.status
                WHEN 'completed' THEN NULL;
                WHEN 'pending', 'processing' THEN
                    v_open := v_open + 1;
                    IF v_first IS NULL THEN
                        v_first := r.request_id;
                        v_first_status := r.status;
                    END IF;
                WHEN 'failed' THEN
                    RAISE EXCEPTION '%: request % failed: %', fn, r.request_id, r.error USING ERRCODE = 'P0001';
                WHEN 'cancelled' THEN
                    RAISE EXCEPTION '%: request % was cancelled', fn, r.request_id USING ERRCODE = '57014';
                ELSE
                    RAISE EXCEPTION '%: request % does not exist or is not committed yet', fn, r.request_id
                        USING ERRCODE = '55000',
                              HINT = 'An asynchronous request becomes visible to workers when the transaction that '
                                  || 'created it commits.';
            END CASE;
        END LOOP;
        IF v_open = 0 AND v_with_results THEN
            RETURN QUERY SELECT * FROM unnest(v_rows);
            RETURN;
        ELSIF v_open = 0 THEN
            v_with_results := true;
            CONTINUE;
        ELSIF NOT v_with_results AND v_open < cardinality(v_open_ids) THEN
            v_open_ids := ARRAY(SELECT o.request_id FROM unnest(v_rows) AS o
                                WHERE o.status IN ('pending', 'processing') ORDER BY o.ord);
        END IF;
        IF clock_timestamp() >= v_deadline THEN
            RAISE EXCEPTION '%', format('%s: no worker completed request %s%s within %s; the job stays queued and its '
                    || 'result will be cached when a worker runs it', fn, v_first,
                    CASE WHEN v_open > 1 THEN format(' (and %s more)', v_open - 1) ELSE '' END, v_timeout)
                USING ERRCODE = '57014',
                      HINT = 'Start the SteadyText platform, or wait longer with SET steadytext.sync_timeout = ''60s''. '
                          || 'steadytext_check_async(request_id) shows the job.';
        END IF;
        IF v_first_status = 'processing' AND ${schema}._steadytext_await_running(v_first, v_deadline) THEN
            v_pauses := 0;
        ELSE
            v_pauses := ${schema}._steadytext_poll_pause(v_pauses, v_deadline);
        END IF;
    END LOOP;
END
$fn$;

-- Whether the session user may see and cancel every request.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_is_admin()
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = 'steadytext_admin'
                   AND pg_has_role(session_user, r.oid, 'MEMBER'))
        OR (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user)
$fn$;
