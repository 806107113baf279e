--liquibase formatted sql

-- Roles and privileges.
--  steadytext_user   EXECUTE on the user functions; SELECT on the cache, config, models and workers tables; INSERT
--                    on the access log.
--  steadytext_admin  steadytext_user plus config_set, cache_clear, daemon_start/stop, every request, the queue.
--  steadytext_worker the platform's login role: reads and writes every steadytext table.
-- For drop-in parity with pg_steadytext, EXECUTE on the user functions also stays granted to PUBLIC (PostgreSQL's
-- default). The admin and internal functions are never PUBLIC, with three exceptions below.
-- The cache-hit path (020-requests.sql) runs with the caller's rights, so whoever may execute the user functions
-- also gets, PUBLIC included: SELECT on steadytext_cache (the SQL contract lets users read it anyway) and
-- steadytext_models, INSERT on the columns cache_key, kind, hit of the unlogged steadytext_cache_access (accessed_at
-- always takes its default), and EXECUTE on the SECURITY DEFINER functions the hit path hands everything else to
-- (_steadytext_generate_slow, _steadytext_embed_slow, _steadytext_embed_batch; each validates its arguments as the
-- user function does). Nobody but the worker and the owner may UPDATE or DELETE the cache, or read the queue
-- (steadytext_admin may read it). The worst a user can do with the access-log grant is skew the hit statistics,
-- which calling the functions in a loop does as well. To lock everything down, revoke from PUBLIC the EXECUTE on
-- the user functions and those three, SELECT on steadytext_cache and steadytext_models, and INSERT on
-- steadytext_cache_access, and grant steadytext_user, which holds all of them.
-- Roles are cluster-wide: they are created only if missing, and only when the installing role may create roles.

--changeset steadytext:050-roles runOnChange:true splitStatements:false
DO $do$
DECLARE
    v_role text;
    v_can boolean := (SELECT r.rolsuper OR r.rolcreaterole FROM pg_roles r WHERE r.rolname = current_user);
BEGIN
    FOREACH v_role IN ARRAY ARRAY['steadytext_user', 'steadytext_admin', 'steadytext_worker'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = v_role) THEN
            IF v_can THEN
                EXECUTE format('CREATE ROLE %I NOLOGIN', v_role);
            ELSE
                RAISE NOTICE 'steadytext: role % does not exist and % may not create roles; create it (NOLOGIN) and re-run the migration to grant its privileges', v_role, current_user;
            END IF;
        END IF;
    END LOOP;
END
$do$;

DO $do$
DECLARE
    v_fn regprocedure;
    v_admin constant text[] := ARRAY['steadytext_config_set', 'steadytext_cache_clear', 'steadytext_daemon_start',
        'steadytext_daemon_stop', 'st_config_set', 'st_cache_clear', 'st_daemon_start', 'st_daemon_stop',
        -- the evictions of 070-eviction.sql, when this file runs again after that one
        'steadytext_cache_evict', 'steadytext_cache_evict_by_age', 'steadytext_cache_evict_by_frecency',
        'steadytext_cache_scheduled_eviction', 'st_cache_evict', 'st_cache_evict_by_age', 'st_cache_evict_by_frecency',
        'st_cache_scheduled_eviction', 'steadytext_cache_trace_export'];
    v_has_user boolean := EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steadytext_user');
    v_has_admin boolean := EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steadytext_admin');
    v_has_worker boolean := EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steadytext_worker');
    -- The internal functions the invoker-rights user functions call: executable by whoever may call those.
    -- (and the two of steadytext_generate_stream, 080-streaming.sql, when this file runs again after that one)
    v_entry constant text[] := ARRAY['_steadytext_generate_slow', '_steadytext_embed_slow', '_steadytext_embed_batch',
        '_steadytext_stream_start', '_steadytext_stream_next'];
    v_name text;
BEGIN
    FOR v_fn, v_name IN
        SELECT p.oid::regprocedure, p.proname FROM pg_proc p WHERE p.pronamespace = '${schema}'::regnamespace
          AND (p.proname LIKE 'steadytext\_%' OR p.proname LIKE 'st\_%' OR p.proname LIKE '\_steadytext\_%')
    LOOP
        IF v_name LIKE '\_steadytext\_%' AND NOT v_name = ANY (v_entry) THEN
            EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', v_fn);
        ELSIF v_name = ANY (v_admin) THEN
            EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', v_fn);
            IF v_has_admin THEN
                EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO steadytext_admin', v_fn);
            END IF;
        ELSE
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO PUBLIC', v_fn);
            IF v_has_user THEN
                EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO steadytext_user', v_fn);
            END IF;
        END IF;
    END LOOP;

    EXECUTE 'GRANT USAGE ON SCHEMA ${schema} TO PUBLIC';
    -- The cache-hit path's tables (see the top of this file), to PUBLIC as EXECUTE on the user functions is.
    EXECUTE 'GRANT SELECT ON ${schema}.steadytext_cache, ${schema}.steadytext_models TO PUBLIC';
    EXECUTE 'GRANT INSERT (cache_key, kind, hit, weight) ON ${schema}.steadytext_cache_access TO PUBLIC';
    IF v_has_user THEN
        EXECUTE 'GRANT SELECT ON ${schema}.steadytext_cache, ${schema}.steadytext_config, ${schema}.steadytext_models, '
            || '${schema}.steadytext_workers TO steadytext_user';
        EXECUTE 'GRANT INSERT (cache_key, kind, hit, weight) ON ${schema}.steadytext_cache_access TO steadytext_user';
    END IF;
    IF v_has_admin THEN
        IF v_has_user AND NOT pg_has_role('steadytext_admin', 'steadytext_user', 'MEMBER') THEN
            BEGIN
                EXECUTE 'GRANT steadytext_user TO steadytext_admin';
            EXCEPTION WHEN insufficient_privilege THEN
                RAISE NOTICE 'steadytext: % may not grant steadytext_user to steadytext_admin; ask a superuser to', current_user;
            END;
        END IF;
        EXECUTE 'GRANT SELECT ON ${schema}.steadytext_queue, ${schema}.steadytext_cache_access, '
            || '${schema}.steadytext_cache_counters TO steadytext_admin';
    END IF;
    IF v_has_worker THEN
        EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON ${schema}.steadytext_cache, ${schema}.steadytext_cache_access, '
            || '${schema}.steadytext_cache_counters, ${schema}.steadytext_queue, ${schema}.steadytext_models, '
            || '${schema}.steadytext_workers, ${schema}.steadytext_config TO steadytext_worker';
        EXECUTE 'GRANT SELECT ON ${schema}.steadytext_schema_state TO steadytext_worker';
    END IF;
END
$do$;
