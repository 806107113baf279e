--liquibase formatted sql

-- The request functions: synchronous generate/embed/embed_batch, their async forms, and results.

--changeset steadytext:020-embedding-type runOnChange:true splitStatements:false
-- Embedding-returning functions change their result type when pgvector appears or disappears (real[] <-> vector),
-- which CREATE OR REPLACE cannot do: drop those whose type differs from the one this installation uses.
DO $do$
DECLARE
    v_fn regprocedure;
BEGIN
    FOR v_fn IN
        SELECT p.oid::regprocedure FROM pg_proc p
        WHERE p.pronamespace = '${schema}'::regnamespace
          AND p.proname IN ('steadytext_embed', 'st_embed', 'steadytext_embed_batch', 'st_embed_batch',
                            'steadytext_check_async', 'st_check_async', 'steadytext_check_async_batch',
                            'st_check_async_batch')
          AND pg_get_function_result(p.oid) NOT LIKE '%' || format_type('${embedding_type}'::regtype, NULL) || '%'
    LOOP
        EXECUTE format('DROP FUNCTION %s', v_fn);
    END LOOP;
END
$do$;

--changeset steadytext:020-requests runOnChange:true splitStatements:false
-- Synchronous requests come in two halves.
-- The hit path: steadytext_generate, steadytext_embed and steadytext_embed_batch are SECURITY INVOKER with no SET
-- clause. They check the arguments the cheap way, resolve the model, compute the key, read steadytext_cache and
-- append to steadytext_cache_access with the caller's own rights (050-roles.sql grants SELECT on steadytext_cache
-- and steadytext_models and INSERT on the access log to everyone who may execute them), and return on a hit.
-- The rest: anything else (a miss, use_cache = false, an argument the cheap checks do not accept, session settings
-- older than config session_cache_seconds) goes to the SECURITY DEFINER _steadytext_*_slow / _steadytext_embed_batch
-- functions with a pinned search_path, which validate with the contract's errors, look once more and enqueue.
-- Why: a SET clause costs a GUC save/restore and a search-path recomputation per call, SECURITY DEFINER a user
-- switch; together they cost a hit about a sixth of its throughput. An invoker function runs with the caller's rights,
-- so a hostile search_path can only hurt the caller. Still, every object of ours is schema-qualified, every
-- built-in function the key or a query uses is pg_catalog-qualified, and every operator in a query is
-- OPERATOR(pg_catalog.=); the remaining operators of the cheap checks take exactly typed operands, which resolve to
-- pg_catalog's (searched first unless the caller lists it later). None of this costs anything per call: plans and
-- expressions are prepared once per session.
-- The model is resolved from steadytext_models on every call (one index probe of a tiny table, about 2 us), never
-- from a session-cached fingerprint: when the default model changes, the very next call keys with the new one, and
-- the old model's entries are never served for a request that no longer means them. A session cache would need an
-- invalidation check that is itself a table read (a sequence is cheaper to read but not transactional: a session
-- could see the bump before the change commits and cache the old model for good). The config limits and the
-- default max_tokens do come from the session settings (see _steadytext_refresh_session), at most
-- session_cache_seconds old; a user may SET them, which can only change the caller's own lookups, never what is
-- enqueued or cached (the slow path re-reads them).
CREATE OR REPLACE FUNCTION ${schema}.steadytext_generate(
    prompt text, max_tokens int DEFAULT NULL, use_cache boolean DEFAULT true, seed int DEFAULT 42,
    eos_string text DEFAULT '[EOS]', model text DEFAULT NULL, model_repo text DEFAULT NULL,
    model_filename text DEFAULT NULL, size text DEFAULT NULL, unsafe_mode boolean DEFAULT false)
RETURNS text LANGUAGE plpgsql VOLATILE SECURITY INVOKER
AS $fn$
DECLARE
    v_max_tokens int;
    v_fp text;
    v_key text;
    v_result text;
    v_count bigint;
    v_last timestamptz;
    v_n int;
BEGIN
    -- size and model_repo with model_filename choose a model by the worker's registry: the slow path asks.
    IF use_cache AND prompt <> '' AND seed >= 0 AND eos_string IS NOT NULL AND unsafe_mode IS NOT NULL
            AND size IS NULL AND model_repo IS NULL AND model_filename IS NULL
            AND (model IS NULL OR pg_catalog.strpos(model, ':') = 0)
            AND coalesce(nullif(pg_catalog.current_setting('steadytext.s_until', true), '')::float8, 0)
                > pg_catalog.date_part('epoch', pg_catalog.clock_timestamp()) THEN
        v_max_tokens := coalesce(max_tokens,
            nullif(pg_catalog.current_setting('steadytext.s_default_max_tokens', true), '')::int);
        IF v_max_tokens >= 1
                AND v_max_tokens <= nullif(pg_catalog.current_setting('steadytext.s_max_tokens_limit', true), '')::int
                AND pg_catalog.length(prompt)
                    <= nullif(pg_catalog.current_setting('steadytext.s_max_input_length', true), '')::int THEN
            -- The model (the default of the kind, or the one named) as _steadytext_model resolves it, and the key
            -- as _steadytext_generation_key computes it. Two statements rather than one join: a plan that depends on
            -- whether model is NULL would be planned again on every call.
            IF steadytext_generate.model IS NULL THEN
                SELECT m.fingerprint INTO v_fp FROM ${schema}.steadytext_models m
                WHERE m.kind OPERATOR(pg_catalog.=) 'generation' AND m.is_default
                ORDER BY m.last_seen DESC, m.fingerprint LIMIT 1;
            ELSE
                SELECT m.fingerprint INTO v_fp FROM ${schema}.steadytext_models m
                WHERE m.kind OPERATOR(pg_catalog.=) 'generation'
                  AND (m.name OPERATOR(pg_catalog.=) steadytext_generate.model
                       OR m.fingerprint OPERATOR(pg_catalog.=) steadytext_generate.model)
                ORDER BY m.is_default DESC, m.last_seen DESC, m.fingerprint LIMIT 1;
            END IF;
            v_key := pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(pg_catalog.format(
                E'steadytext-cache-key-v1\nkind=10:generation\nmodel=%s:%s\nparam.eos_string=%s:%s\n'
                'param.max_tokens=%s:%s\nparam.seed=%s:%s\ninput=%s:%s\n',
                pg_catalog.octet_length(v_fp), v_fp, pg_catalog.octet_length(eos_string), eos_string,
                pg_catalog.octet_length(v_max_tokens::text), v_max_tokens, pg_catalog.octet_length(seed::text), seed,
                pg_catalog.octet_length(prompt), prompt), 'UTF8')), 'hex');
            SELECT c.response, c.access_count, c.last_accessed INTO v_result, v_count, v_last
            FROM ${schema}.steadytext_cache c WHERE c.cache_key OPERATOR(pg_catalog.=) v_key;
            IF FOUND THEN
                -- The cached row is never updated here, so a hot key takes no row lock; the worker folds the log.
                -- A hot entry's hit (64 or more folded, the last within 2 s) is logged once in n, with weight n
                -- (config cache_hot_hit_sampling): its counts stay unbiased, and most of its hits skip the
                -- append and the transaction id it takes, a third of a hit's cost. Every other hit is logged, so a
                -- cold entry's count and last access stay exact. "Within 2 s" of the clock, not of the transaction's
                -- start: in a long transaction every entry would look recent.
                IF pg_catalog.current_setting('transaction_read_only') = 'off' THEN
                    IF v_count < 64 OR v_last < pg_catalog.clock_timestamp() - interval '2 seconds' THEN
                        INSERT INTO ${schema}.steadytext_cache_access (cache_key, kind, hit) VALUES (v_key, 'generation', true);
                    ELSE
                        v_n := nullif(pg_catalog.current_setting('steadytext.s_hot_hit_sampling', true), '')::int;
                        IF pg_catalog.random() * v_n < 1 THEN
                            INSERT INTO ${schema}.steadytext_cache_access (cache_key, kind, hit, weight)
                            VALUES (v_key, 'generation', true, v_n);
                        END IF;
                    END IF;
                END IF;
                RETURN v_result;
            END IF;
        END IF;
    END IF;
    RETURN ${schema}._steadytext_generate_slow(prompt, max_tokens, use_cache, seed, eos_string, model, size,
        unsafe_mode, model_repo, model_filename);
END
$fn$;

-- Everything of a synchronous generation but the cheap hit: validation against the current config and models (with
-- the contract's errors), the cache once more, and on a miss the job through the loopback and the wait.
-- (model_repo and model_filename came later: the old signature goes.)
DROP FUNCTION IF EXISTS ${schema}._steadytext_generate_slow(text, int, boolean, int, text, text, text, boolean);
CREATE OR REPLACE FUNCTION ${schema}._steadytext_generate_slow(
    prompt text, max_tokens int, use_cache boolean, seed int, eos_string text, model text, size text,
    unsafe_mode boolean, model_repo text, model_filename text)
RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_timeout interval := ${schema}._steadytext_sync_timeout();
    r record;
    v_result text;
    s ${schema}.steadytext_job_state;
BEGIN
    r := ${schema}._steadytext_generation_request('steadytext_generate', prompt, max_tokens,
        use_cache, seed, eos_string, model, size, unsafe_mode, true, model_repo, model_filename);
    IF use_cache THEN
        SELECT c.response INTO v_result FROM ${schema}.steadytext_cache c WHERE c.cache_key = r.cache_key;
        IF current_setting('transaction_read_only') = 'off' THEN
            INSERT INTO ${schema}.steadytext_cache_access (cache_key, kind, hit) VALUES (r.cache_key, 'generation', FOUND);
        END IF;
        IF v_result IS NOT NULL THEN
            RETURN v_result;
        END IF;
    END IF;
    SELECT * INTO s FROM ${schema}._steadytext_submit(jsonb_build_array(jsonb_build_object(
        'type', 'generate', 'model', r.model_fingerprint, 'use_cache', use_cache, 'cache_key', r.cache_key,
        'prompt', prompt, 'requester', session_user,
        'max_attempts', current_setting('steadytext.s_max_attempts')::int,
        'params', jsonb_build_object('max_tokens', r.effective_max_tokens, 'seed', seed, 'eos_string', eos_string))));
    IF s.status = 'cached' THEN
        RETURN s.result;
    END IF;
    SELECT * INTO s FROM ${schema}._steadytext_await(ARRAY[s.request_id], 'steadytext_generate', v_timeout);
    RETURN s.result;
END
$fn$;

-- Replaced by _steadytext_embed_slow.
DROP FUNCTION IF EXISTS ${schema}._steadytext_embed_one(text, text, boolean, int, text, boolean);

-- The hit path of steadytext_embed, as steadytext_generate's (see there).
CREATE OR REPLACE FUNCTION ${schema}.steadytext_embed(
    text_input text, use_cache boolean DEFAULT true, seed int DEFAULT 42, model text DEFAULT NULL,
    unsafe_mode boolean DEFAULT false)
RETURNS ${embedding_type} LANGUAGE plpgsql VOLATILE SECURITY INVOKER
AS $fn$
DECLARE
    v_fp text;
    v_key text;
    v_result real[];
    v_count bigint;
    v_last timestamptz;
    v_n int;
BEGIN
    IF use_cache AND text_input <> '' AND seed >= 0 AND unsafe_mode IS NOT NULL
            AND (model IS NULL OR pg_catalog.strpos(model, ':') = 0)
            AND coalesce(nullif(pg_catalog.current_setting('steadytext.s_until', true), '')::float8, 0)
                > pg_catalog.date_part('epoch', pg_catalog.clock_timestamp())
            AND pg_catalog.length(text_input)
                <= nullif(pg_catalog.current_setting('steadytext.s_max_input_length', true), '')::int THEN
        IF steadytext_embed.model IS NULL THEN
            SELECT m.fingerprint INTO v_fp FROM ${schema}.steadytext_models m
            WHERE m.kind OPERATOR(pg_catalog.=) 'embedding' AND m.is_default
            ORDER BY m.last_seen DESC, m.fingerprint LIMIT 1;
        ELSE
            SELECT m.fingerprint INTO v_fp FROM ${schema}.steadytext_models m
            WHERE m.kind OPERATOR(pg_catalog.=) 'embedding'
              AND (m.name OPERATOR(pg_catalog.=) steadytext_embed.model
                   OR m.fingerprint OPERATOR(pg_catalog.=) steadytext_embed.model)
            ORDER BY m.is_default DESC, m.last_seen DESC, m.fingerprint LIMIT 1;
        END IF;
        -- The key as _steadytext_embedding_key computes it (the seed cannot change a vector, so it is not part of it).
        v_key := pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(pg_catalog.format(
            E'steadytext-cache-key-v1\nkind=9:embedding\nmodel=%s:%s\ninput=%s:%s\n',
            pg_catalog.octet_length(v_fp), v_fp, pg_catalog.octet_length(text_input), text_input), 'UTF8')), 'hex');
        SELECT c.embedding, c.access_count, c.last_accessed INTO v_result, v_count, v_last
        FROM ${schema}.steadytext_cache c WHERE c.cache_key OPERATOR(pg_catalog.=) v_key;
        IF FOUND THEN
            IF pg_catalog.current_setting('transaction_read_only') = 'off' THEN
                IF v_count < 64 OR v_last < pg_catalog.clock_timestamp() - interval '2 seconds' THEN
                    INSERT INTO ${schema}.steadytext_cache_access (cache_key, kind, hit) VALUES (v_key, 'embedding', true);
                ELSE
                    v_n := nullif(pg_catalog.current_setting('steadytext.s_hot_hit_sampling', true), '')::int;
                    IF pg_catalog.random() * v_n < 1 THEN
                        INSERT INTO ${schema}.steadytext_cache_access (cache_key, kind, hit, weight)
                        VALUES (v_key, 'embedding', true, v_n);
                    END IF;
                END IF;
            END IF;
            RETURN v_result::${embedding_type};
        END IF;
    END IF;
    RETURN ${schema}._steadytext_embed_slow(text_input, use_cache, seed, model, unsafe_mode)::${embedding_type};
END
$fn$;

CREATE OR REPLACE FUNCTION ${schema}._steadytext_embed_slow(
    text_input text, use_cache boolean, seed int, model text, unsafe_mode boolean)
RETURNS real[] LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_timeout interval := ${schema}._steadytext_sync_timeout();
    r record;
    v_result real[];
    s ${schema}.steadytext_job_state;
BEGIN
    r := ${schema}._steadytext_embedding_request('steadytext_embed', 'text_input', text_input, use_cache, seed,
        model, unsafe_mode, true);
    IF use_cache THEN
        SELECT c.embedding INTO v_result FROM ${schema}.steadytext_cache c WHERE c.cache_key = r.cache_key;
        IF current_setting('transaction_read_only') = 'off' THEN
            INSERT INTO ${schema}.steadytext_cache_access (cache_key, kind, hit) VALUES (r.cache_key, 'embedding', FOUND);
        END IF;
        IF v_result IS NOT NULL THEN
            RETURN v_result;
        END IF;
    END IF;
    SELECT * INTO s FROM ${schema}._steadytext_submit(jsonb_build_array(jsonb_build_object(
        'type', 'embed', 'model', r.model_fingerprint, 'use_cache', use_cache, 'cache_key', r.cache_key,
        'prompt', text_input, 'requester', session_user,
        'max_attempts', current_setting('steadytext.s_max_attempts')::int, 'params', '{}'::jsonb)));
    IF s.status = 'cached' THEN
        RETURN s.embedding;
    END IF;
    SELECT * INTO s FROM ${schema}._steadytext_await(ARRAY[s.request_id], 'steadytext_embed', v_timeout);
    RETURN s.embedding;
END
$fn$;

-- Several texts: hits from the cache, the distinct missing texts enqueued as individual coalescible 'embed' jobs in
-- one loopback round trip, then one wait for all of them. Rows come back in input order; each vector is the one the
-- single-text call returns (the same cache entry). The hits' vectors are read once, with the lookup that finds the
-- misses: the cache is not read again after the wait, when an entry may have been evicted.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_embed_batch(
    fn text, texts text[], use_cache boolean, seed int, model text, unsafe_mode boolean)
RETURNS TABLE (item_text text, vec real[]) LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_timeout interval := ${schema}._steadytext_sync_timeout();
    r record;
    v_keys text[];
    v_mkeys text[];
    v_mtexts text[];
    v_hits ${schema}.steadytext_job_state[];
    v_sub ${schema}.steadytext_job_state[];
    v_done ${schema}.steadytext_job_state[];
    v_ids uuid[];
BEGIN
    PERFORM ${schema}._steadytext_refresh_session();
    PERFORM ${schema}._steadytext_check_array(fn, 'texts', texts);
    r := ${schema}._steadytext_embedding_request(fn, 'texts[1]', texts[array_lower(texts, 1)],
        use_cache, seed, model, unsafe_mode, true);
    v_keys := ARRAY(SELECT ${schema}._steadytext_embedding_key(r.model_fingerprint, u.t)
                    FROM unnest(texts) WITH ORDINALITY AS u(t, o) ORDER BY u.o);
    -- A hit is kept as (ord, key in result, vector in embedding).
    SELECT array_agg(m.k ORDER BY m.o) FILTER (WHERE m.emb IS NULL),
           array_agg(m.t ORDER BY m.o) FILTER (WHERE m.emb IS NULL),
           array_agg(ROW(m.o, NULL, NULL, m.k, m.emb, NULL, NULL)::${schema}.steadytext_job_state)
               FILTER (WHERE m.emb IS NOT NULL)
    INTO v_mkeys, v_mtexts, v_hits
    FROM (SELECT u.k, min(u.o) AS o, min(u.t) AS t,
                 (SELECT c.embedding FROM ${schema}.steadytext_cache c WHERE use_cache AND c.cache_key = u.k) AS emb
          FROM unnest(v_keys, texts) WITH ORDINALITY AS u(k, t, o)
          GROUP BY u.k) AS m;
    IF use_cache AND current_setting('transaction_read_only') = 'off' THEN
        INSERT INTO ${schema}.steadytext_cache_access (cache_key, kind, hit)
        SELECT u.k, 'embedding', NOT (u.k = ANY (coalesce(v_mkeys, '{}'))) FROM unnest(v_keys) AS u(k);
    END IF;
    IF v_mkeys IS NOT NULL THEN
        v_sub := ARRAY(SELECT s FROM ${schema}._steadytext_submit((
            SELECT jsonb_agg(jsonb_build_object(
                'type', 'embed', 'model', r.model_fingerprint, 'use_cache', use_cache, 'cache_key', m.k,
                'prompt', m.t, 'requester', session_user,
                'max_attempts', current_setting('steadytext.s_max_attempts')::int, 'params', '{}'::jsonb) ORDER BY m.o)
            FROM unnest(v_mkeys, v_mtexts) WITH ORDINALITY AS m(k, t, o))) AS s);
        v_ids := ARRAY(SELECT s.request_id FROM unnest(v_sub) AS s WHERE s.status = 'pending');
        IF cardinality(v_ids) > 0 THEN
            v_done := ARRAY(SELECT a FROM ${schema}._steadytext_await(v_ids, fn, v_timeout) AS a);
        END IF;
    END IF;
    RETURN QUERY
        SELECT u.t, coalesce(m.emb, h.embedding)
        FROM unnest(texts, v_keys) WITH ORDINALITY AS u(t, k, o)
        LEFT JOIN (SELECT mk.k, coalesce(s.embedding, a.embedding) AS emb
                   FROM unnest(v_mkeys) WITH ORDINALITY AS mk(k, j)
                   JOIN unnest(v_sub) AS s ON s.ord = mk.j
                   LEFT JOIN unnest(v_done) AS a ON a.request_id = s.request_id) AS m ON m.k = u.k
        LEFT JOIN unnest(v_hits) AS h ON m.k IS NULL AND h.result = u.k
        ORDER BY u.o;
END
$fn$;

-- The hit path of steadytext_embed_batch: when every text is cached, one statement reads them all (into an array,
-- so that the rows returned are exactly the rows counted), one appends their access rows. Otherwise, and for every
-- argument the cheap checks do not accept, _steadytext_embed_batch does the whole request.
-- steadytext_job_state carries (ord, text in result, vector in embedding) between the two.
CREATE OR REPLACE FUNCTION ${schema}.steadytext_embed_batch(
    texts text[], use_cache boolean DEFAULT true, seed int DEFAULT 42, model text DEFAULT NULL,
    unsafe_mode boolean DEFAULT false)
RETURNS TABLE ("text" text, embedding ${embedding_type}) LANGUAGE plpgsql VOLATILE SECURITY INVOKER
AS $fn$
DECLARE
    v_fp text;
    v_rows ${schema}.steadytext_job_state[];
    v_keys text[];
    v_hits bigint;
BEGIN
    IF use_cache AND seed >= 0 AND unsafe_mode IS NOT NULL AND (model IS NULL OR pg_catalog.strpos(model, ':') = 0)
            AND pg_catalog.array_ndims(texts) = 1
            AND coalesce(nullif(pg_catalog.current_setting('steadytext.s_until', true), '')::float8, 0)
                > pg_catalog.date_part('epoch', pg_catalog.clock_timestamp()) THEN
        IF steadytext_embed_batch.model IS NULL THEN
            SELECT m.fingerprint INTO v_fp FROM ${schema}.steadytext_models m
            WHERE m.kind OPERATOR(pg_catalog.=) 'embedding' AND m.is_default
            ORDER BY m.last_seen DESC, m.fingerprint LIMIT 1;
        ELSE
            SELECT m.fingerprint INTO v_fp FROM ${schema}.steadytext_models m
            WHERE m.kind OPERATOR(pg_catalog.=) 'embedding'
              AND (m.name OPERATOR(pg_catalog.=) steadytext_embed_batch.model
                   OR m.fingerprint OPERATOR(pg_catalog.=) steadytext_embed_batch.model)
            ORDER BY m.is_default DESC, m.last_seen DESC, m.fingerprint LIMIT 1;
        END IF;
        SELECT pg_catalog.array_agg(ROW(u.o, NULL, NULL, u.t, c.embedding, NULL, NULL)::${schema}.steadytext_job_state
                                    ORDER BY u.o),
               pg_catalog.array_agg(c.cache_key ORDER BY u.o), pg_catalog.count(c.cache_key)
        INTO v_rows, v_keys, v_hits
        FROM pg_catalog.unnest(texts) WITH ORDINALITY AS u(t, o)
        LEFT JOIN ${schema}.steadytext_cache c
               ON u.t OPERATOR(pg_catalog.<>) ''
              AND pg_catalog.length(u.t) OPERATOR(pg_catalog.<=)
                  nullif(pg_catalog.current_setting('steadytext.s_max_input_length', true), '')::int
              AND c.cache_key OPERATOR(pg_catalog.=) pg_catalog.encode(pg_catalog.sha256(
                  pg_catalog.convert_to(pg_catalog.format(
                      E'steadytext-cache-key-v1\nkind=9:embedding\nmodel=%s:%s\ninput=%s:%s\n',
                      pg_catalog.octet_length(v_fp), v_fp,
                      pg_catalog.octet_length(u.t), u.t), 'UTF8')), 'hex');
        -- A NULL, empty or too long text never matches, so all hit only when every text is valid and cached.
        IF v_hits = pg_catalog.cardinality(texts) THEN
            IF pg_catalog.current_setting('transaction_read_only') = 'off' THEN
                INSERT INTO ${schema}.steadytext_cache_access (cache_key, kind, hit)
                SELECT k.k, 'embedding', true FROM pg_catalog.unnest(v_keys) AS k(k);
            END IF;
            RETURN QUERY SELECT r.result, r.embedding::${embedding_type} FROM pg_catalog.unnest(v_rows) AS r ORDER BY r.ord;
            RETURN;
        END IF;
    END IF;
    RETURN QUERY SELECT b.item_text, b.vec::${embedding_type}
        FROM ${schema}._steadytext_embed_batch('steadytext_embed_batch', texts, use_cache, seed, model, unsafe_mode) AS b;
END
$fn$;

-- Inserts a job in the caller's transaction (async requests: visible to workers at commit, gone on rollback) and
-- wakes the workers at commit. A request whose single result is already cached is recorded completed at once.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_insert_job(
    request_type text, model_fingerprint text, use_cache boolean, cache_key text, prompt text,
    inputs text[], cache_keys text[], params jsonb)
RETURNS uuid LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_id uuid;
    v_result text;
    v_embedding real[];
    v_embeddings real[];
    v_hit boolean := false;
BEGIN
    IF use_cache THEN
        IF request_type = 'embed_batch' THEN
            SELECT array_agg(c.embedding ORDER BY k.o) FILTER (WHERE c.embedding IS NOT NULL),
                   count(c.embedding) = cardinality(cache_keys)
            INTO v_embeddings, v_hit
            FROM unnest(cache_keys) WITH ORDINALITY AS k(k, o)
            LEFT JOIN ${schema}.steadytext_cache c ON c.cache_key = k.k;
        ELSE
            SELECT c.response, c.embedding, true INTO v_result, v_embedding, v_hit
            FROM ${schema}.steadytext_cache c WHERE c.cache_key = _steadytext_insert_job.cache_key;
        END IF;
    END IF;
    INSERT INTO ${schema}.steadytext_queue AS q
        (request_type, status, model_fingerprint, use_cache, coalescible, cache_key, prompt, inputs, cache_keys,
         params, requester, max_attempts, result, embedding, embeddings, started_at, completed_at, processing_time_ms)
    VALUES (request_type, CASE WHEN v_hit THEN 'completed' ELSE 'pending' END, model_fingerprint, use_cache, false,
            cache_key, prompt, inputs, cache_keys, params, session_user,
            current_setting('steadytext.s_max_attempts')::int,
            v_result, v_embedding, CASE WHEN v_hit THEN v_embeddings END,
            CASE WHEN v_hit THEN clock_timestamp() END, CASE WHEN v_hit THEN clock_timestamp() END,
            CASE WHEN v_hit THEN 0 END)
    RETURNING q.request_id INTO v_id;
    IF NOT coalesce(v_hit, false) THEN
        PERFORM pg_notify('steadytext_jobs', request_type);
    END IF;
    RETURN v_id;
END
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.steadytext_generate_async(
    prompt text, max_tokens int DEFAULT NULL, use_cache boolean DEFAULT true, seed int DEFAULT 42,
    eos_string text DEFAULT '[EOS]', model text DEFAULT NULL, model_repo text DEFAULT NULL,
    model_filename text DEFAULT NULL, size text DEFAULT NULL, unsafe_mode boolean DEFAULT false)
RETURNS uuid LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    r record;
BEGIN
    r := ${schema}._steadytext_generation_request('steadytext_generate_async', prompt, max_tokens,
        use_cache, seed, eos_string, model, size, unsafe_mode, true, model_repo, model_filename);
    RETURN ${schema}._steadytext_insert_job('generate', r.model_fingerprint, use_cache, r.cache_key, prompt, NULL, NULL,
        jsonb_build_object('max_tokens', r.effective_max_tokens, 'seed', seed, 'eos_string', eos_string));
END
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.steadytext_generate_batch_async(
    prompts text[], max_tokens int DEFAULT NULL, use_cache boolean DEFAULT true, seed int DEFAULT 42,
    eos_string text DEFAULT '[EOS]', model text DEFAULT NULL, model_repo text DEFAULT NULL,
    model_filename text DEFAULT NULL, size text DEFAULT NULL, unsafe_mode boolean DEFAULT false)
RETURNS uuid[] LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    r record;
    v_ids uuid[] := '{}';
    v_i int;
BEGIN
    PERFORM ${schema}._steadytext_refresh_session();
    PERFORM ${schema}._steadytext_check_array('steadytext_generate_batch_async', 'prompts', prompts);
    FOR v_i IN array_lower(prompts, 1) .. array_upper(prompts, 1) LOOP
        r := ${schema}._steadytext_generation_request('steadytext_generate_batch_async',
            prompts[v_i], max_tokens, use_cache, seed, eos_string, model, size, unsafe_mode, v_i = array_lower(prompts, 1),
            model_repo, model_filename);
        v_ids := v_ids || ${schema}._steadytext_insert_job('generate', r.model_fingerprint, use_cache, r.cache_key,
            prompts[v_i], NULL, NULL,
            jsonb_build_object('max_tokens', r.effective_max_tokens, 'seed', seed, 'eos_string', eos_string));
    END LOOP;
    RETURN v_ids;
END
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.steadytext_embed_async(
    text_input text, use_cache boolean DEFAULT true, seed int DEFAULT 42, model text DEFAULT NULL,
    unsafe_mode boolean DEFAULT false)
RETURNS uuid LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    r record;
BEGIN
    r := ${schema}._steadytext_embedding_request('steadytext_embed_async', 'text_input', text_input,
        use_cache, seed, model, unsafe_mode, true);
    RETURN ${schema}._steadytext_insert_job('embed', r.model_fingerprint, use_cache, r.cache_key, text_input, NULL,
        NULL, '{}'::jsonb);
END
$fn$;

-- One request_type 'embed_batch' job for all texts: inputs and cache_keys in input order, results in embeddings
-- (a 2-D real[], one row per input).
CREATE OR REPLACE FUNCTION ${schema}.steadytext_embed_batch_async(
    texts text[], use_cache boolean DEFAULT true, seed int DEFAULT 42, model text DEFAULT NULL,
    unsafe_mode boolean DEFAULT false)
RETURNS uuid LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    r record;
BEGIN
    PERFORM ${schema}._steadytext_refresh_session();
    PERFORM ${schema}._steadytext_check_array('steadytext_embed_batch_async', 'texts', texts);
    r := ${schema}._steadytext_embedding_request('steadytext_embed_batch_async', 'texts[1]',
        texts[array_lower(texts, 1)], use_cache, seed, model, unsafe_mode, true);
    RETURN ${schema}._steadytext_insert_job('embed_batch', r.model_fingerprint, use_cache, NULL, NULL,
        ARRAY(SELECT u.t FROM unnest(texts) WITH ORDINALITY AS u(t, o) ORDER BY u.o),
        ARRAY(SELECT ${schema}._steadytext_embedding_key(r.model_fingerprint, u.t)
              FROM unnest(texts) WITH ORDINALITY AS u(t, o) ORDER BY u.o),
        '{}'::jsonb);
END
$fn$;

-- A request's state. Callers see their own requests (requester = session_user) unless they are steadytext_admin.
-- results is reserved for multi-text generation results and NULL for now; embed_batch results are in embeddings.
CREATE OR REPLACE FUNCTION ${schema}.steadytext_check_async(request_id uuid)
RETURNS TABLE (status text, result text, results text[], embedding ${embedding_type}, embeddings real[], error text,
               created_at timestamptz, completed_at timestamptz, processing_time_ms int, request_type text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF request_id IS NULL THEN
        RAISE EXCEPTION 'steadytext_check_async: request_id must not be NULL' USING ERRCODE = '22004';
    END IF;
    RETURN QUERY
        SELECT q.status, q.result, NULL::text[], q.embedding::${embedding_type}, q.embeddings, q.error, q.created_at,
               q.completed_at, q.processing_time_ms, q.request_type
        FROM ${schema}.steadytext_queue q
        WHERE q.request_id = steadytext_check_async.request_id
          AND (q.requester = session_user OR ${schema}._steadytext_is_admin());
    IF NOT FOUND THEN
        RAISE EXCEPTION 'steadytext_check_async: request % not found', request_id USING ERRCODE = 'P0002';
    END IF;
END
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.steadytext_check_async_batch(request_ids uuid[])
RETURNS TABLE (request_id uuid, status text, result text, results text[], embedding ${embedding_type},
               embeddings real[], error text, created_at timestamptz, completed_at timestamptz,
               processing_time_ms int, request_type text)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT i.id, coalesce(q.status, 'not_found'), q.result, NULL::text[], q.embedding::${embedding_type}, q.embeddings,
           q.error, q.created_at, q.completed_at, q.processing_time_ms, q.request_type
    FROM unnest($1) WITH ORDINALITY AS i(id, ord)
    LEFT JOIN ${schema}.steadytext_queue q
           ON q.request_id = i.id AND (q.requester = session_user OR ${schema}._steadytext_is_admin())
    ORDER BY i.ord
$fn$;

-- Waits up to timeout_seconds for a request and returns its result: the text, for embeddings the vector as text, for
-- reranking the scores as a JSON array.
CREATE OR REPLACE FUNCTION ${schema}.steadytext_get_async_result(request_id uuid, timeout_seconds int DEFAULT 30)
RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_type text;
    v_status text;
    v_remote text;
    s ${schema}.steadytext_job_state;
BEGIN
    IF request_id IS NULL THEN
        RAISE EXCEPTION 'steadytext_get_async_result: request_id must not be NULL' USING ERRCODE = '22004';
    ELSIF timeout_seconds IS NULL OR timeout_seconds < 0 THEN
        RAISE EXCEPTION 'steadytext_get_async_result: timeout_seconds must be zero or more, not %',
            coalesce(timeout_seconds::text, 'NULL') USING ERRCODE = '22023';
    END IF;
    SELECT q.request_type, q.status INTO v_type, v_status FROM ${schema}.steadytext_queue q
    WHERE q.request_id = steadytext_get_async_result.request_id
      AND (q.requester = session_user OR ${schema}._steadytext_is_admin());
    IF NOT FOUND THEN
        RAISE EXCEPTION 'steadytext_get_async_result: request % not found', request_id USING ERRCODE = 'P0002';
    END IF;
    IF v_status IN ('pending', 'processing') THEN
        -- A request of this very transaction is invisible to workers until commit: fail now, not at the timeout.
        SELECT t.status INTO v_remote FROM ${dblink}.dblink(${schema}._steadytext_loopback(),
            format('SELECT status FROM ${schema}._steadytext_poll(%L)', ARRAY[request_id])) AS t(status text);
        IF v_remote IS NULL THEN
            RAISE EXCEPTION 'steadytext_get_async_result: request % is not committed yet', request_id
                USING ERRCODE = '55000',
                      HINT = 'Commit the transaction that created the request before waiting for its result.';
        END IF;
    END IF;
    SELECT * INTO s FROM ${schema}._steadytext_await(ARRAY[request_id], 'steadytext_get_async_result',
        timeout_seconds * interval '1 second');
    -- The text, the vector, the vectors (embed_batch), or a rerank job's scores (a JSON array, 090-reranking.sql).
    RETURN CASE v_type WHEN 'embed' THEN s.embedding::text WHEN 'embed_batch' THEN s.embeddings::text ELSE s.result END;
END
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.steadytext_cancel_async(request_id uuid)
RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF request_id IS NULL THEN
        RAISE EXCEPTION 'steadytext_cancel_async: request_id must not be NULL' USING ERRCODE = '22004';
    END IF;
    UPDATE ${schema}.steadytext_queue q
    SET status = 'cancelled', completed_at = clock_timestamp(), lease_until = NULL
    WHERE q.request_id = steadytext_cancel_async.request_id AND q.status IN ('pending', 'processing')
      AND (q.requester = session_user OR ${schema}._steadytext_is_admin());
    RETURN FOUND;
END
$fn$;
