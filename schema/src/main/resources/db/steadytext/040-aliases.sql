--liquibase formatted sql

-- st_* aliases, as pg_steadytext has them. Plain SQL wrappers with schema-qualified bodies: they add no privileges
-- of their own (a revoked function stays revoked through its alias).

--changeset steadytext:040-aliases runOnChange:true splitStatements:false
CREATE OR REPLACE FUNCTION ${schema}.st_generate(
    prompt text, max_tokens int DEFAULT NULL, use_cache boolean DEFAULT true, seed int DEFAULT 42,
    eos_string text DEFAULT '[EOS]', model text DEFAULT NULL, model_repo text DEFAULT NULL,
    model_filename text DEFAULT NULL, size text DEFAULT NULL, unsafe_mode boolean DEFAULT false)
RETURNS text LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_generate($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_embed(
    text_input text, use_cache boolean DEFAULT true, seed int DEFAULT 42, model text DEFAULT NULL,
    unsafe_mode boolean DEFAULT false)
RETURNS ${embedding_type} LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_embed($1, $2, $3, $4, $5) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_embed_batch(
    texts text[], use_cache boolean DEFAULT true, seed int DEFAULT 42, model text DEFAULT NULL,
    unsafe_mode boolean DEFAULT false)
RETURNS TABLE ("text" text, embedding ${embedding_type}) LANGUAGE sql VOLATILE
AS $fn$ SELECT * FROM ${schema}.steadytext_embed_batch($1, $2, $3, $4, $5) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_generate_async(
    prompt text, max_tokens int DEFAULT NULL, use_cache boolean DEFAULT true, seed int DEFAULT 42,
    eos_string text DEFAULT '[EOS]', model text DEFAULT NULL, model_repo text DEFAULT NULL,
    model_filename text DEFAULT NULL, size text DEFAULT NULL, unsafe_mode boolean DEFAULT false)
RETURNS uuid LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_generate_async($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_generate_batch_async(
    prompts text[], max_tokens int DEFAULT NULL, use_cache boolean DEFAULT true, seed int DEFAULT 42,
    eos_string text DEFAULT '[EOS]', model text DEFAULT NULL, model_repo text DEFAULT NULL,
    model_filename text DEFAULT NULL, size text DEFAULT NULL, unsafe_mode boolean DEFAULT false)
RETURNS uuid[] LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_generate_batch_async($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_embed_async(
    text_input text, use_cache boolean DEFAULT true, seed int DEFAULT 42, model text DEFAULT NULL,
    unsafe_mode boolean DEFAULT false)
RETURNS uuid LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_embed_async($1, $2, $3, $4, $5) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_embed_batch_async(
    texts text[], use_cache boolean DEFAULT true, seed int DEFAULT 42, model text DEFAULT NULL,
    unsafe_mode boolean DEFAULT false)
RETURNS uuid LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_embed_batch_async($1, $2, $3, $4, $5) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_check_async(request_id uuid)
RETURNS TABLE (status text, result text, results text[], embedding ${embedding_type}, embeddings real[], error text,
               created_at timestamptz, completed_at timestamptz, processing_time_ms int, request_type text)
LANGUAGE sql VOLATILE
AS $fn$ SELECT * FROM ${schema}.steadytext_check_async($1) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_check_async_batch(request_ids uuid[])
RETURNS TABLE (request_id uuid, status text, result text, results text[], embedding ${embedding_type},
               embeddings real[], error text, created_at timestamptz, completed_at timestamptz,
               processing_time_ms int, request_type text)
LANGUAGE sql VOLATILE
AS $fn$ SELECT * FROM ${schema}.steadytext_check_async_batch($1) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_get_async_result(request_id uuid, timeout_seconds int DEFAULT 30)
RETURNS text LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_get_async_result($1, $2) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_cancel_async(request_id uuid)
RETURNS boolean LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_cancel_async($1) $fn$;

-- st_cache_stats() is in 070-eviction.sql, with steadytext_cache_stats().

CREATE OR REPLACE FUNCTION ${schema}.st_cache_clear(kind text DEFAULT 'all')
RETURNS bigint LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_cache_clear($1) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_cache_key(
    prompt text, max_tokens int DEFAULT NULL, seed int DEFAULT 42, eos_string text DEFAULT '[EOS]',
    model text DEFAULT NULL)
RETURNS text LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_cache_key($1, $2, $3, $4, $5) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_config_get(key text)
RETURNS jsonb LANGUAGE sql STABLE
AS $fn$ SELECT ${schema}.steadytext_config_get($1) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_config_set(key text, value text)
RETURNS void LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_config_set($1, $2) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_config_set(key text, value jsonb)
RETURNS void LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_config_set($1, $2) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_version()
RETURNS text LANGUAGE sql IMMUTABLE
AS $fn$ SELECT ${schema}.steadytext_version() $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_worker_status()
RETURNS TABLE (worker_id uuid, host text, pid bigint, started_at timestamptz, last_heartbeat timestamptz,
               jobs_done bigint, models text[])
LANGUAGE sql STABLE
AS $fn$ SELECT * FROM ${schema}.steadytext_worker_status() $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_daemon_status()
RETURNS TABLE (daemon_id text, status text, endpoint text, last_heartbeat timestamptz, uptime_seconds int)
LANGUAGE sql STABLE
AS $fn$ SELECT * FROM ${schema}.steadytext_daemon_status() $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_daemon_start()
RETURNS boolean LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_daemon_start() $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_daemon_stop()
RETURNS boolean LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_daemon_stop() $fn$;
