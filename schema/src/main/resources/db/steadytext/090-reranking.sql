--liquibase formatted sql

-- Reranking: steadytext_rerank(query, documents, task, return_scores, seed), _docs_only, _top_k, _batch, _async,
-- _batch_async, steadytext_rerank_cache_key, and their st_* aliases. Each takes a trailing model argument (NULL: the
-- default reranker), which pg_steadytext did not have.
--
-- Scores. One cache row per scored pair: kind 'reranking', cache key over (model, query, task, document) -- the
-- document is the input, query and task are parameters (CacheKey.forReranking; shared vectors in testkit's
-- cache-key-vectors.tsv) -- prompt = the document, response = the score as text (the shortest decimal that reads
-- back as the same float8, so response::float8 is exact), generation_params = {"query", "task"}. The seed is
-- validated and then ignored: scoring samples nothing, so it is not part of the key (as for embeddings).
-- Rows come back ordered by score descending, then by position in documents; with return_scores => false the score
-- column is NULL (the order stays the scores'). steadytext_rerank_batch's query_index counts from 0, as in
-- pg_steadytext.
--
-- The job. A call reads every pair's score from the cache; the pairs it misses become one 'rerank' job per query,
-- all sent through the dblink loopback in one round trip (_steadytext_submit, as steadytext_embed_batch does) and
-- awaited together. The job carries the query as its prompt and {"task", "documents", "document_keys"} (only the
-- missing documents, each once) in params; its cache_key is a request key over the query, task and those documents
-- (kind 'reranking' with parameters documents and task: never the key of a cache row), so that identical requests in
-- flight coalesce. The worker scores the documents, writes one cache row per document and completes the job with its
-- result: the scores as a JSON array, in the order of params.documents. An async request is one job for all of its
-- documents (its result is every score, in the order of documents), completed at once when every pair is cached.
--
-- The default reranker (model NULL) is the live default reranking model, preferring a configured reranker model
-- (llama.cpp, ONNX cross-encoder) over the embedding-similarity fallback that every worker serves.
-- Every function that enqueues is SECURITY DEFINER with a pinned search_path, as in 020-requests.sql; there is no
-- invoker hit path.

--changeset steadytext:090-reranking-tables splitStatements:false
-- 'reranking' joins the kinds of the cache, its counters and the models, and 'rerank' the request types of the queue.
-- Each CHECK is rebuilt from the values it lists now plus the new one, so that values another changelog added are
-- kept, whichever ran first.
DO $do$
DECLARE
    r record;
    v_name text;
    v_values text[];
BEGIN
    FOR r IN SELECT * FROM (VALUES ('steadytext_cache', 'kind', 'reranking'),
                                   ('steadytext_cache_counters', 'kind', 'reranking'),
                                   ('steadytext_models', 'kind', 'reranking'),
                                   ('steadytext_queue', 'request_type', 'rerank')) AS t(tbl, col, val)
    LOOP
        SELECT c.conname, ARRAY(SELECT m[1] FROM regexp_matches(pg_get_constraintdef(c.oid), '''([^'']*)''', 'g') AS m)
        INTO v_name, v_values
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attname = r.col
        WHERE c.conrelid = format('%I.%I', '${schema}', r.tbl)::regclass AND c.contype = 'c'
          AND c.conkey = ARRAY[a.attnum];
        IF v_name IS NULL THEN
            RAISE EXCEPTION 'steadytext: %.% has no CHECK constraint listing its values', r.tbl, r.col;
        END IF;
        IF NOT r.val = ANY (v_values) THEN
            EXECUTE format('ALTER TABLE %I.%I DROP CONSTRAINT %I, ADD CONSTRAINT %I CHECK (%I IN (%s))', '${schema}',
                r.tbl, v_name, v_name, r.col,
                (SELECT string_agg(quote_literal(v), ', ') FROM unnest(v_values || r.val) AS v));
        END IF;
    END LOOP;
END
$do$;
ALTER TABLE ${schema}.steadytext_cache ADD CONSTRAINT steadytext_cache_reranking_score
    CHECK (kind <> 'reranking' OR response IS NOT NULL);
INSERT INTO ${schema}.steadytext_cache_counters (kind) VALUES ('reranking') ON CONFLICT DO NOTHING;
--rollback DELETE FROM ${schema}.steadytext_cache WHERE kind = 'reranking'; DELETE FROM ${schema}.steadytext_cache_counters WHERE kind = 'reranking'; ALTER TABLE ${schema}.steadytext_cache DROP CONSTRAINT steadytext_cache_reranking_score;

--changeset steadytext:090-reranking runOnChange:true splitStatements:false
-- Seeds, as in 003-config.sql: the reranking cache's own budget keys (070-eviction.sql reads cache_max_*_<kind>).
INSERT INTO ${schema}.steadytext_config (key, value, description) VALUES
    ('cache_max_entries_reranking', 'null', 'overrides cache_max_entries for reranking scores: a whole number, "unbounded", or null for cache_max_entries'),
    ('cache_max_size_mb_reranking', 'null', 'overrides cache_max_size_mb for reranking scores: a number, "unbounded", or null for cache_max_size_mb')
ON CONFLICT (key) DO UPDATE SET description = EXCLUDED.description;

-- The key of one pair's score, byte for byte CacheKey.forReranking: the canonical encoding
-- (steadytext_cache_key_canonical) unrolled for its two parameters, query and task, in code-point order.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_reranking_key(
    model_fingerprint text, task text, query text, document text)
RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $fn$
BEGIN
    RETURN encode(sha256(convert_to(
        'steadytext-cache-key-v1' || E'\n' || 'kind=9:reranking' || E'\n'
        || 'model=' || octet_length(model_fingerprint) || ':' || model_fingerprint || E'\n'
        || 'param.query=' || octet_length(query) || ':' || query || E'\n'
        || 'param.task=' || octet_length(task) || ':' || task || E'\n'
        || 'input=' || octet_length(document) || ':' || document || E'\n',
        'UTF8')), 'hex');
END
$fn$;

-- The reranking model a request names (a name or a fingerprint, as _steadytext_model resolves it), or for NULL the
-- default: among default reranking models, the live ones (seen within config worker_stale_seconds) first, then a
-- configured reranker model before the embedding-similarity fallback, then the most recently seen.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_reranking_model(fn text, model text)
RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_fp text;
    v_stale interval := coalesce((SELECT (c.value #>> '{}')::float8 FROM ${schema}.steadytext_config c
                                  WHERE c.key = 'worker_stale_seconds'), 15) * interval '1 second';
BEGIN
    IF model IS NOT NULL THEN
        RETURN ${schema}._steadytext_model('reranking', model, false, fn, true);
    END IF;
    SELECT m.fingerprint INTO v_fp FROM ${schema}.steadytext_models m
    WHERE m.kind = 'reranking' AND m.is_default
    ORDER BY m.last_seen >= clock_timestamp() - v_stale DESC, m.backend <> 'embedding-similarity' DESC,
             m.last_seen DESC
    LIMIT 1;
    IF v_fp IS NULL THEN
        RAISE EXCEPTION '%: no worker has registered a reranking model yet', fn
            USING ERRCODE = '55000',
                  HINT = 'Start the SteadyText platform; its workers register their models when they start.';
    END IF;
    RETURN v_fp;
END
$fn$;

-- Validates a rerank request and resolves its model. query_arg names the queries in messages ('query', or 'queries'
-- for several); documents may repeat, and none may be NULL, empty or longer than config max_input_length.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_rerank_request(
    fn text, query_arg text, queries text[], documents text[], task text, return_scores boolean, seed int, model text)
RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_limit int;
BEGIN
    PERFORM ${schema}._steadytext_refresh_session();
    v_limit := current_setting('steadytext.s_max_input_length')::int;
    IF query_arg = 'query' AND queries[1] IS NULL THEN
        RAISE EXCEPTION '%: query must not be NULL', fn USING ERRCODE = '22004';
    ELSIF query_arg = 'query' AND queries[1] = '' THEN
        RAISE EXCEPTION '%: query must not be empty', fn USING ERRCODE = '22023';
    ELSIF query_arg = 'query' AND length(queries[1]) > v_limit THEN
        RAISE EXCEPTION '%: query is % characters long; the limit is % (config max_input_length)',
            fn, length(queries[1]), v_limit USING ERRCODE = '54000';
    ELSIF query_arg <> 'query' THEN
        PERFORM ${schema}._steadytext_check_array(fn, query_arg, queries);
    END IF;
    PERFORM ${schema}._steadytext_check_array(fn, 'documents', documents);
    IF task IS NULL THEN
        RAISE EXCEPTION '%: task must not be NULL (use '''' for none)', fn USING ERRCODE = '22004';
    ELSIF return_scores IS NULL THEN
        RAISE EXCEPTION '%: return_scores must not be NULL', fn USING ERRCODE = '22004';
    ELSIF seed IS NULL THEN
        RAISE EXCEPTION '%: seed must not be NULL', fn USING ERRCODE = '22004';
    ELSIF seed < 0 THEN
        RAISE EXCEPTION '%: seed must not be negative, not %', fn, seed USING ERRCODE = '22023';
    ELSIF length(task) > v_limit THEN
        RAISE EXCEPTION '%: task is % characters long; the limit is % (config max_input_length)',
            fn, length(task), v_limit USING ERRCODE = '54000';
    END IF;
    RETURN ${schema}._steadytext_reranking_model(fn, model);
END
$fn$;

-- The params of a rerank job for some documents of one query (each once), and its request key (see the top).
CREATE OR REPLACE FUNCTION ${schema}._steadytext_rerank_job(
    model_fingerprint text, query text, task text, documents jsonb, document_keys jsonb, use_cache boolean)
RETURNS jsonb LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT jsonb_build_object('type', 'rerank', 'model', $1, 'use_cache', $6, 'prompt', $2,
        'cache_key', ${schema}.steadytext_cache_key_canonical('reranking', $1,
            jsonb_build_object('documents', $4::text, 'task', $3), $2),
        'params', jsonb_build_object('task', $3, 'documents', $4, 'document_keys', $5))
$fn$;

-- Every (query, document) pair's score, in input order: query_index from 0, ord from 1. Cached pairs are read once,
-- with the lookup that finds the misses; the misses (each distinct pair once) go to one job per query, submitted in
-- one loopback round trip and awaited together.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_rerank_scores(
    fn text, query_arg text, queries text[], documents text[], task text, return_scores boolean, seed int, model text)
RETURNS TABLE (query_index int, ord int, document text, score float8)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_timeout interval := ${schema}._steadytext_sync_timeout();
    v_fp text := ${schema}._steadytext_rerank_request(fn, query_arg, queries, documents, task, return_scores, seed,
        model);
    v_q text[] := ARRAY(SELECT u.q FROM unnest(queries) WITH ORDINALITY AS u(q, o) ORDER BY u.o);
    v_d text[] := ARRAY(SELECT u.d FROM unnest(documents) WITH ORDINALITY AS u(d, o) ORDER BY u.o);
    v_n int := cardinality(v_d);
    v_keys text[];
    v_mkeys text[];
    v_mpairs int[];
    v_hkeys text[];
    v_hscores float8[];
    v_requests jsonb;
    v_sub ${schema}.steadytext_job_state[];
    v_done ${schema}.steadytext_job_state[];
    v_ids uuid[];
    v_ckeys text[];
    v_cscores float8[];
BEGIN
    -- Pair p (from 1) is query (p - 1) / n + 1 with document (p - 1) % n + 1.
    v_keys := ARRAY(SELECT ${schema}._steadytext_reranking_key(v_fp, task, q.q, d.d)
                    FROM unnest(v_q) WITH ORDINALITY AS q(q, qo) CROSS JOIN unnest(v_d) WITH ORDINALITY AS d(d, o)
                    ORDER BY q.qo, d.o);
    SELECT array_agg(m.k ORDER BY m.p) FILTER (WHERE m.s IS NULL), array_agg(m.p ORDER BY m.p) FILTER (WHERE m.s IS NULL),
           array_agg(m.k) FILTER (WHERE m.s IS NOT NULL), array_agg(m.s) FILTER (WHERE m.s IS NOT NULL)
    INTO v_mkeys, v_mpairs, v_hkeys, v_hscores
    FROM (SELECT u.k, min(u.p)::int AS p,
                 (SELECT c.response::float8 FROM ${schema}.steadytext_cache c WHERE c.cache_key = u.k) AS s
          FROM unnest(v_keys) WITH ORDINALITY AS u(k, p) GROUP BY u.k) AS m;
    IF current_setting('transaction_read_only') = 'off' THEN
        INSERT INTO ${schema}.steadytext_cache_access (cache_key, kind, hit)
        SELECT u.k, 'reranking', NOT (u.k = ANY (coalesce(v_mkeys, '{}'))) FROM unnest(v_keys) AS u(k);
    END IF;
    IF v_mkeys IS NOT NULL THEN
        SELECT jsonb_agg(${schema}._steadytext_rerank_job(v_fp, v_q[g.qi], task, g.docs, g.keys, true)
                   || jsonb_build_object('requester', session_user,
                          'max_attempts', current_setting('steadytext.s_max_attempts')::int) ORDER BY g.qi)
        INTO v_requests
        FROM (SELECT (m.p - 1) / v_n + 1 AS qi, jsonb_agg(v_d[(m.p - 1) % v_n + 1] ORDER BY m.p) AS docs,
                     jsonb_agg(m.k ORDER BY m.p) AS keys
              FROM unnest(v_mkeys, v_mpairs) AS m(k, p) GROUP BY 1) AS g;
        v_sub := ARRAY(SELECT s FROM ${schema}._steadytext_submit(v_requests) AS s);
        v_ids := ARRAY(SELECT s.request_id FROM unnest(v_sub) AS s WHERE s.status = 'pending');
        IF cardinality(v_ids) > 0 THEN
            v_done := ARRAY(SELECT a FROM ${schema}._steadytext_await(v_ids, fn, v_timeout) AS a);
        END IF;
        -- Each job's result holds its documents' scores in the order of its document_keys.
        SELECT array_agg(x.k), array_agg(x.sc) INTO v_ckeys, v_cscores
        FROM unnest(v_sub) AS s
        LEFT JOIN unnest(v_done) AS a ON a.request_id = s.request_id
        CROSS JOIN LATERAL (
            SELECT k.value #>> '{}' AS k, (r.value #>> '{}')::float8 AS sc
            FROM jsonb_array_elements(v_requests -> (s.ord - 1) -> 'params' -> 'document_keys') WITH ORDINALITY AS k(value, i)
            LEFT JOIN jsonb_array_elements(coalesce(a.result, s.result)::jsonb) WITH ORDINALITY AS r(value, i)
                   ON r.i = k.i) AS x;
        IF array_position(v_cscores, NULL) IS NOT NULL THEN
            RAISE EXCEPTION '%: a reranking job completed without a score for every document', fn
                USING ERRCODE = 'XX000';
        END IF;
    END IF;
    RETURN QUERY
        SELECT (u.p - 1) / v_n, (u.p - 1) % v_n + 1, v_d[(u.p - 1) % v_n + 1], coalesce(c.sc, h.sc)
        FROM (SELECT k.k, k.p::int AS p FROM unnest(v_keys) WITH ORDINALITY AS k(k, p)) AS u
        LEFT JOIN unnest(v_ckeys, v_cscores) AS c(k, sc) ON c.k = u.k
        LEFT JOIN unnest(v_hkeys, v_hscores) AS h(k, sc) ON h.k = u.k
        ORDER BY u.p;
END
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.steadytext_rerank(
    query text, documents text[],
    task text DEFAULT 'Given a web search query, retrieve relevant passages that answer the query',
    return_scores boolean DEFAULT true, seed int DEFAULT 42, model text DEFAULT NULL)
RETURNS TABLE (document text, score float8) LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT s.document, CASE WHEN $4 THEN s.score END
    FROM ${schema}._steadytext_rerank_scores('steadytext_rerank', 'query', ARRAY[$1], $2, $3, $4, $5, $6) AS s
    ORDER BY s.score DESC, s.ord
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.steadytext_rerank_docs_only(
    query text, documents text[],
    task text DEFAULT 'Given a web search query, retrieve relevant passages that answer the query',
    seed int DEFAULT 42, model text DEFAULT NULL)
RETURNS TABLE (document text) LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT s.document
    FROM ${schema}._steadytext_rerank_scores('steadytext_rerank_docs_only', 'query', ARRAY[$1], $2, $3, true, $4, $5)
        AS s
    ORDER BY s.score DESC, s.ord
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.steadytext_rerank_top_k(
    query text, documents text[], top_k int,
    task text DEFAULT 'Given a web search query, retrieve relevant passages that answer the query',
    return_scores boolean DEFAULT true, seed int DEFAULT 42, model text DEFAULT NULL)
RETURNS TABLE (document text, score float8) LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF top_k IS NULL THEN
        RAISE EXCEPTION 'steadytext_rerank_top_k: top_k must not be NULL' USING ERRCODE = '22004';
    ELSIF top_k < 1 THEN
        RAISE EXCEPTION 'steadytext_rerank_top_k: top_k must be at least 1, not %', top_k USING ERRCODE = '22023';
    END IF;
    RETURN QUERY
        SELECT s.document, CASE WHEN return_scores THEN s.score END
        FROM ${schema}._steadytext_rerank_scores('steadytext_rerank_top_k', 'query', ARRAY[query], documents, task,
            return_scores, seed, model) AS s
        ORDER BY s.score DESC, s.ord
        LIMIT top_k;
END
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.steadytext_rerank_batch(
    queries text[], documents text[],
    task text DEFAULT 'Given a web search query, retrieve relevant passages that answer the query',
    return_scores boolean DEFAULT true, seed int DEFAULT 42, model text DEFAULT NULL)
RETURNS TABLE (query_index int, document text, score float8) LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT s.query_index, s.document, CASE WHEN $4 THEN s.score END
    FROM ${schema}._steadytext_rerank_scores('steadytext_rerank_batch', 'queries', $1, $2, $3, $4, $5, $6) AS s
    ORDER BY s.query_index, s.score DESC, s.ord
$fn$;

-- One request in the caller's transaction (visible to workers at commit) for every document of one query; its
-- result is every document's score, in the order of documents, as a JSON array. When every pair is cached, the
-- request is recorded completed at once.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_rerank_async(
    fn text, query_arg text, query text, documents text[], task text, return_scores boolean, seed int, model text)
RETURNS uuid LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_fp text := ${schema}._steadytext_rerank_request(fn, query_arg, ARRAY[query], documents, task, return_scores,
        seed, model);
    v_docs jsonb := to_jsonb(ARRAY(SELECT u.d FROM unnest(documents) WITH ORDINALITY AS u(d, o) ORDER BY u.o));
    v_keys jsonb;
    v_scores jsonb;
    v_job jsonb;
    v_id uuid;
BEGIN
    -- A cached score's text is a JSON number as it is (CompletionBatch writes Java's Double.toString).
    SELECT jsonb_agg(k.key ORDER BY k.o), jsonb_agg(c.response::jsonb ORDER BY k.o) FILTER (WHERE c.response IS NOT NULL)
    INTO v_keys, v_scores
    FROM (SELECT ${schema}._steadytext_reranking_key(v_fp, task, query, d.value #>> '{}') AS key, d.o
          FROM jsonb_array_elements(v_docs) WITH ORDINALITY AS d(value, o)) AS k
    LEFT JOIN ${schema}.steadytext_cache c ON c.cache_key = k.key;
    v_job := ${schema}._steadytext_rerank_job(v_fp, query, task, v_docs, v_keys, true);
    IF jsonb_array_length(coalesce(v_scores, '[]')) < jsonb_array_length(v_docs) THEN
        RETURN ${schema}._steadytext_insert_job('rerank', v_fp, true, v_job ->> 'cache_key', query, NULL, NULL,
            v_job -> 'params');
    END IF;
    INSERT INTO ${schema}.steadytext_queue AS q
        (request_type, status, model_fingerprint, use_cache, coalescible, cache_key, prompt, params, requester,
         max_attempts, result, started_at, completed_at, processing_time_ms)
    VALUES ('rerank', 'completed', v_fp, true, false, v_job ->> 'cache_key', query, v_job -> 'params', session_user,
            current_setting('steadytext.s_max_attempts')::int, v_scores::text, clock_timestamp(), clock_timestamp(), 0)
    RETURNING q.request_id INTO v_id;
    RETURN v_id;
END
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.steadytext_rerank_async(
    query text, documents text[],
    task text DEFAULT 'Given a web search query, retrieve relevant passages that answer the query',
    return_scores boolean DEFAULT true, seed int DEFAULT 42, model text DEFAULT NULL)
RETURNS uuid LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT ${schema}._steadytext_rerank_async('steadytext_rerank_async', 'query', $1, $2, $3, $4, $5, $6)
$fn$;

-- One request per query, in the order of queries (pg_steadytext's shape); all validated before any is inserted.
CREATE OR REPLACE FUNCTION ${schema}.steadytext_rerank_batch_async(
    queries text[], documents text[],
    task text DEFAULT 'Given a web search query, retrieve relevant passages that answer the query',
    return_scores boolean DEFAULT true, seed int DEFAULT 42, model text DEFAULT NULL)
RETURNS uuid[] LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    PERFORM ${schema}._steadytext_rerank_request('steadytext_rerank_batch_async', 'queries', queries, documents, task,
        return_scores, seed, model);
    RETURN ARRAY(SELECT ${schema}._steadytext_rerank_async('steadytext_rerank_batch_async', 'queries', u.q,
                     documents, task, return_scores, seed, model)
                 FROM unnest(queries) WITH ORDINALITY AS u(q, o) ORDER BY u.o);
END
$fn$;

-- The cache key of one pair's score, as the rerank functions compute it.
CREATE OR REPLACE FUNCTION ${schema}.steadytext_rerank_cache_key(
    query text, document text,
    task text DEFAULT 'Given a web search query, retrieve relevant passages that answer the query',
    model text DEFAULT NULL)
RETURNS text LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT ${schema}._steadytext_reranking_key(
        ${schema}._steadytext_rerank_request('steadytext_rerank_cache_key', 'query', ARRAY[$1], ARRAY[$2], $3, true,
            42, $4), $3, $1, $2)
$fn$;

-- st_* aliases, as 040-aliases.sql writes them.
CREATE OR REPLACE FUNCTION ${schema}.st_rerank(
    query text, documents text[],
    task text DEFAULT 'Given a web search query, retrieve relevant passages that answer the query',
    return_scores boolean DEFAULT true, seed int DEFAULT 42, model text DEFAULT NULL)
RETURNS TABLE (document text, score float8) LANGUAGE sql VOLATILE
AS $fn$ SELECT * FROM ${schema}.steadytext_rerank($1, $2, $3, $4, $5, $6) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_rerank_docs_only(
    query text, documents text[],
    task text DEFAULT 'Given a web search query, retrieve relevant passages that answer the query',
    seed int DEFAULT 42, model text DEFAULT NULL)
RETURNS TABLE (document text) LANGUAGE sql VOLATILE
AS $fn$ SELECT * FROM ${schema}.steadytext_rerank_docs_only($1, $2, $3, $4, $5) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_rerank_top_k(
    query text, documents text[], top_k int,
    task text DEFAULT 'Given a web search query, retrieve relevant passages that answer the query',
    return_scores boolean DEFAULT true, seed int DEFAULT 42, model text DEFAULT NULL)
RETURNS TABLE (document text, score float8) LANGUAGE sql VOLATILE
AS $fn$ SELECT * FROM ${schema}.steadytext_rerank_top_k($1, $2, $3, $4, $5, $6, $7) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_rerank_batch(
    queries text[], documents text[],
    task text DEFAULT 'Given a web search query, retrieve relevant passages that answer the query',
    return_scores boolean DEFAULT true, seed int DEFAULT 42, model text DEFAULT NULL)
RETURNS TABLE (query_index int, document text, score float8) LANGUAGE sql VOLATILE
AS $fn$ SELECT * FROM ${schema}.steadytext_rerank_batch($1, $2, $3, $4, $5, $6) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_rerank_async(
    query text, documents text[],
    task text DEFAULT 'Given a web search query, retrieve relevant passages that answer the query',
    return_scores boolean DEFAULT true, seed int DEFAULT 42, model text DEFAULT NULL)
RETURNS uuid LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_rerank_async($1, $2, $3, $4, $5, $6) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_rerank_batch_async(
    queries text[], documents text[],
    task text DEFAULT 'Given a web search query, retrieve relevant passages that answer the query',
    return_scores boolean DEFAULT true, seed int DEFAULT 42, model text DEFAULT NULL)
RETURNS uuid[] LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_rerank_batch_async($1, $2, $3, $4, $5, $6) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_rerank_cache_key(
    query text, document text,
    task text DEFAULT 'Given a web search query, retrieve relevant passages that answer the query',
    model text DEFAULT NULL)
RETURNS text LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_rerank_cache_key($1, $2, $3, $4) $fn$;

-- Privileges of this file's functions, as 050-roles.sql grants the others': the user functions and aliases to
-- PUBLIC and steadytext_user, the internal ones to nobody (their SECURITY DEFINER callers run as the owner).
DO $do$
DECLARE
    v_fn regprocedure;
    v_name text;
    v_has_user boolean := EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'steadytext_user');
BEGIN
    FOR v_fn, v_name IN
        SELECT p.oid::regprocedure, p.proname FROM pg_proc p WHERE p.pronamespace = '${schema}'::regnamespace
          AND (p.proname LIKE 'steadytext\_rerank%' OR p.proname LIKE 'st\_rerank%'
               OR p.proname IN ('_steadytext_reranking_key', '_steadytext_reranking_model', '_steadytext_rerank_request',
                                '_steadytext_rerank_job', '_steadytext_rerank_scores', '_steadytext_rerank_async'))
    LOOP
        IF v_name LIKE '\_%' THEN
            EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', v_fn);
        ELSE
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO PUBLIC', v_fn);
            IF v_has_user THEN
                EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO steadytext_user', v_fn);
            END IF;
        END IF;
    END LOOP;
END
$do$;
