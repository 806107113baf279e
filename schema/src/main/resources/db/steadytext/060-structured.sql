--liquibase formatted sql

-- Structured generation: steadytext_generate_json, _regex and _choice, their async forms and st_* aliases.
-- A structured request is a 'generate' job whose params carry the constraint next to max_tokens, seed and
-- eos_string: {"json_schema": <the schema as jsonb>} or {"regex": <pattern>} or {"choices": [<text>, ...]}. The worker
-- decodes greedily under a grammar compiled from it (backend-llamacpp OutputGrammar) and checks the finished output;
-- an output that ran out of max_tokens mid-document fails the job (P0001 for the caller), never returns.
-- Validation happens here, before anything is enqueued, with the rules the worker's Java code enforces: the shared
-- vectors in testkit structured-input-vectors.tsv hold the two to the same accept/reject decisions (schema
-- StructuredValidationIT, backend-llamacpp StructuredInputVectorsTest). Keep each check function in step with its
-- Java class, rule for rule and in the same order: JsonSchemaGrammar.check, RegexGrammar.Parser, OutputConstraint.Choice.
-- Cache key: the generation key's parameters (eos_string '[EOS]', max_tokens, seed) plus one parameter for the
-- constraint: json_schema = the schema's jsonb text form (so whitespace and key order never split the cache),
-- regex = the pattern, choices = the choices' jsonb text form (to_jsonb(text[])::text, in the caller's order).
-- Every function that enqueues is SECURITY DEFINER with a pinned search_path, as in 020-requests.sql; there is no
-- invoker hit path (a hit validates the constraint first, which costs more than the definer switch).

--changeset steadytext:060-structured runOnChange:true splitStatements:false
-- Raises 22023 for a JSON schema outside the supported subset (see JsonSchemaGrammar's Javadoc for the subset).
-- path is where node sits in the schema, '#' for the root.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_check_json_schema(fn text, node jsonb, path text)
RETURNS void LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    c_annotations constant text[] := ARRAY['title', 'description', 'default', 'examples', '$schema', '$id',
        '$comment'];
    c_keywords constant text[] := ARRAY['type', 'enum', 'const', 'properties', 'required', 'additionalProperties',
        'items', 'minItems', 'maxItems', 'minLength', 'maxLength'];
    c_types constant text[] := ARRAY['object', 'array', 'string', 'integer', 'number', 'boolean', 'null'];
    v_key text;
    v_value jsonb;
    v_types text[];
    v_literal text;
    v_values jsonb;
    v_seen text[] := '{}';
    v_i int;
BEGIN
    IF jsonb_typeof(node) <> 'object' THEN
        RAISE EXCEPTION '%: schema: schema at % must be a JSON object, not %', fn, path, jsonb_typeof(node)
            USING ERRCODE = '22023';
    END IF;
    FOR v_key IN SELECT k FROM jsonb_object_keys(node) AS k LOOP
        IF NOT (v_key = ANY (c_keywords) OR v_key = ANY (c_annotations)) THEN
            RAISE EXCEPTION '%: schema: unsupported keyword "%" at %', fn, v_key, path USING ERRCODE = '22023',
                HINT = 'Supported: ' || array_to_string(c_keywords, ', ') || ', and the annotations '
                    || array_to_string(c_annotations, ', ') || '.';
        END IF;
    END LOOP;
    IF node ? 'enum' AND node ? 'const' THEN
        RAISE EXCEPTION '%: schema: enum and const cannot both be given at %', fn, path USING ERRCODE = '22023';
    END IF;
    v_value := node -> 'type';
    IF v_value IS NOT NULL THEN
        v_types := CASE jsonb_typeof(v_value)
            WHEN 'string' THEN ARRAY[v_value #>> '{}']
            WHEN 'array' THEN ARRAY(SELECT CASE WHEN jsonb_typeof(t) = 'string' THEN t #>> '{}' END
                                    FROM jsonb_array_elements(v_value) AS t) END;
        IF v_types IS NULL OR cardinality(v_types) = 0 OR NOT (v_types <@ c_types)
                OR cardinality(v_types) <> (SELECT count(DISTINCT t) FROM unnest(v_types) AS t) THEN
            RAISE EXCEPTION '%: schema: type at % must be one of %, or an array of distinct ones',
                fn, path, array_to_string(c_types, ', ') USING ERRCODE = '22023';
        END IF;
    END IF;
    IF node ? 'enum' AND NOT (jsonb_typeof(node -> 'enum') = 'array' AND jsonb_array_length(node -> 'enum') > 0) THEN
        RAISE EXCEPTION '%: schema: enum at % must be a non-empty array', fn, path USING ERRCODE = '22023';
    END IF;
    v_literal := CASE WHEN node ? 'enum' THEN 'enum' WHEN node ? 'const' THEN 'const' END;
    IF v_literal IS NOT NULL THEN
        FOR v_key IN SELECT k FROM jsonb_object_keys(node) AS k LOOP
            IF v_key <> v_literal AND v_key <> 'type' AND NOT v_key = ANY (c_annotations) THEN
                RAISE EXCEPTION '%: schema: % at % cannot be combined with "%"', fn, v_literal, path, v_key
                    USING ERRCODE = '22023';
            END IF;
        END LOOP;
        IF v_types IS NOT NULL THEN
            v_values := CASE v_literal WHEN 'enum' THEN node -> 'enum' ELSE jsonb_build_array(node -> 'const') END;
            FOR v_i IN 0 .. jsonb_array_length(v_values) - 1 LOOP
                v_value := v_values -> v_i;
                IF NOT EXISTS (SELECT 1 FROM unnest(v_types) AS t
                               WHERE t = jsonb_typeof(v_value)
                                  OR (t = 'integer' AND CASE WHEN jsonb_typeof(v_value) = 'number'
                                      THEN v_value::numeric = trunc(v_value::numeric) ELSE false END)) THEN
                    RAISE EXCEPTION '%: schema: % at % is not of its type', fn,
                        CASE v_literal WHEN 'enum' THEN 'enum value #' || (v_i + 1) ELSE 'const' END, path
                        USING ERRCODE = '22023';
                END IF;
            END LOOP;
        END IF;
        RETURN;
    END IF;
    IF v_types IS NULL THEN
        RAISE EXCEPTION '%: schema: schema at % needs a type, enum or const', fn, path USING ERRCODE = '22023';
    END IF;
    IF node ? 'properties' THEN
        IF jsonb_typeof(node -> 'properties') <> 'object' THEN
            RAISE EXCEPTION '%: schema: properties at % must be a JSON object', fn, path USING ERRCODE = '22023';
        END IF;
        FOR v_key, v_value IN SELECT p.key, p.value FROM jsonb_each(node -> 'properties') AS p LOOP
            PERFORM ${schema}._steadytext_check_json_schema(fn, v_value, path || '/properties/' || v_key);
        END LOOP;
    END IF;
    IF node ? 'required' THEN
        IF jsonb_typeof(node -> 'required') <> 'array' OR EXISTS (
                SELECT 1 FROM jsonb_array_elements(node -> 'required') AS r WHERE jsonb_typeof(r) <> 'string') THEN
            RAISE EXCEPTION '%: schema: required at % must be an array of property names', fn, path
                USING ERRCODE = '22023';
        END IF;
        FOR v_key IN SELECT r FROM jsonb_array_elements_text(node -> 'required') AS r LOOP
            IF NOT coalesce(node -> 'properties' ? v_key, false) THEN
                RAISE EXCEPTION '%: schema: required at % names "%", which properties does not define', fn, path, v_key
                    USING ERRCODE = '22023';
            ELSIF v_key = ANY (v_seen) THEN
                RAISE EXCEPTION '%: schema: required at % repeats "%"', fn, path, v_key USING ERRCODE = '22023';
            END IF;
            v_seen := v_seen || v_key;
        END LOOP;
    END IF;
    IF node ? 'additionalProperties' AND node -> 'additionalProperties' <> 'false'::jsonb THEN
        RAISE EXCEPTION '%: schema: additionalProperties at % must be false (other values are not supported)', fn, path
            USING ERRCODE = '22023';
    END IF;
    IF node ? 'items' THEN
        PERFORM ${schema}._steadytext_check_json_schema(fn, node -> 'items', path || '/items');
    ELSIF 'array' = ANY (v_types) THEN
        RAISE EXCEPTION '%: schema: type array at % needs items', fn, path USING ERRCODE = '22023';
    END IF;
    FOREACH v_key IN ARRAY ARRAY['minItems', 'maxItems', 'minLength', 'maxLength'] LOOP
        v_value := node -> v_key;
        IF v_value IS NOT NULL AND NOT (CASE WHEN jsonb_typeof(v_value) = 'number' THEN
                v_value::numeric BETWEEN 0 AND 1000 AND v_value::numeric = trunc(v_value::numeric) ELSE false END) THEN
            RAISE EXCEPTION '%: schema: % at % must be an integer from 0 to 1000', fn, v_key, path
                USING ERRCODE = '22023';
        END IF;
    END LOOP;
    IF (node ->> 'minItems')::numeric > (node ->> 'maxItems')::numeric THEN
        RAISE EXCEPTION '%: schema: minItems at % is greater than maxItems', fn, path USING ERRCODE = '22023';
    ELSIF (node ->> 'minLength')::numeric > (node ->> 'maxLength')::numeric THEN
        RAISE EXCEPTION '%: schema: minLength at % is greater than maxLength', fn, path USING ERRCODE = '22023';
    END IF;
END
$fn$;

-- One escaped character of a pattern (e, the character after the backslash; NULL at the end of the pattern): its
-- code point, or -1 for a class escape (\d \w \s). Raises 22023 for the escapes outside the subset.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_regex_escape(fn text, e text, in_negated_bracket boolean)
RETURNS int LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF e IS NULL THEN
        RAISE EXCEPTION '%: pattern ends with a lone \', fn USING ERRCODE = '22023';
    ELSIF e IN ('d', 'w', 's') THEN
        IF in_negated_bracket THEN
            RAISE EXCEPTION '%: pattern has \% in a negated bracket expression, which is not supported', fn, e
                USING ERRCODE = '22023';
        END IF;
        RETURN -1;
    ELSIF e = 'n' THEN
        RETURN 10;
    ELSIF e = 't' THEN
        RETURN 9;
    ELSIF e = 'r' THEN
        RETURN 13;
    ELSIF e IN ('D', 'W', 'S') THEN
        RAISE EXCEPTION '%: pattern has \%, which is not supported; write a negated bracket expression such as [^0-9]',
            fn, e USING ERRCODE = '22023';
    ELSIF ascii(e) BETWEEN 48 AND 57 THEN
        RAISE EXCEPTION '%: pattern has a backreference \%, which is not supported', fn, e USING ERRCODE = '22023';
    ELSIF ascii(e) >= 128 OR ascii(e) BETWEEN 65 AND 90 OR ascii(e) BETWEEN 97 AND 122 THEN
        RAISE EXCEPTION '%: pattern has the escape \%, which is not supported', fn, e USING ERRCODE = '22023';
    END IF;
    RETURN ascii(e);
END
$fn$;

-- Raises 22023 for a pattern PostgreSQL cannot compile or outside the supported subset (see RegexGrammar's Javadoc).
-- A scan rather than a recursive parser: atom says whether a quantifier may follow, depth counts open groups.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_check_regex(fn text, pattern text)
RETURNS void LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    c text[];
    n int;
    i int := 1;
    j int;
    depth int := 0;
    atom boolean := false;
    ch text;
    negated boolean;
    lo int;
    hi int;
    v_min int;
    v_max int;
    v_range boolean;
BEGIN
    IF pattern = '' THEN
        RAISE EXCEPTION '%: pattern must not be empty', fn USING ERRCODE = '22023';
    END IF;
    BEGIN
        PERFORM '' ~ pattern;
    EXCEPTION WHEN invalid_regular_expression THEN
        RAISE EXCEPTION '%: pattern is not a valid regular expression: %', fn, SQLERRM USING ERRCODE = '22023';
    END;
    c := regexp_split_to_array(pattern, '');
    n := cardinality(c);
    WHILE i <= n LOOP
        ch := c[i];
        IF ch = '(' THEN
            IF c[i + 1] = '?' THEN
                IF c[i + 2] = ':' THEN
                    i := i + 2;
                ELSIF c[i + 2] IN ('=', '!', '<') THEN
                    RAISE EXCEPTION '%: pattern uses lookaround, which is not supported', fn USING ERRCODE = '22023';
                ELSE
                    RAISE EXCEPTION '%: pattern uses a (? group other than (?:...), which is not supported', fn
                        USING ERRCODE = '22023';
                END IF;
            END IF;
            depth := depth + 1;
            atom := false;
            i := i + 1;
        ELSIF ch = ')' THEN
            IF depth = 0 THEN
                RAISE EXCEPTION '%: pattern has an unmatched )', fn USING ERRCODE = '22023';
            END IF;
            depth := depth - 1;
            atom := true;
            i := i + 1;
        ELSIF ch = '|' THEN
            atom := false;
            i := i + 1;
        ELSIF ch = '[' THEN
            i := i + 1;
            negated := coalesce(c[i] = '^', false);
            IF negated THEN
                i := i + 1;
            END IF;
            IF c[i] = ']' THEN
                RAISE EXCEPTION '%: pattern has ] first in a bracket expression; write \] for the character', fn
                    USING ERRCODE = '22023';
            END IF;
            LOOP
                IF i > n THEN
                    RAISE EXCEPTION '%: pattern has an unterminated bracket expression', fn USING ERRCODE = '22023';
                END IF;
                EXIT WHEN c[i] = ']';
                FOR j IN 1 .. 2 LOOP
                    -- j = 1: a member; j = 2: the end of its range, when a '-' not followed by ']' comes next.
                    ch := c[i];
                    i := i + 1;
                    IF ch = '[' THEN
                        RAISE EXCEPTION '%: pattern has [ inside a bracket expression; POSIX classes such as [:alpha:] and nested brackets are not supported, write \[ for the character',
                            fn USING ERRCODE = '22023';
                    ELSIF ch = '\' THEN
                        hi := ${schema}._steadytext_regex_escape(fn, c[i], negated);
                        i := i + 1;
                    ELSE
                        hi := ascii(ch);
                    END IF;
                    IF j = 2 THEN
                        IF hi < 0 THEN
                            RAISE EXCEPTION '%: pattern has a class escape as the end of a range', fn
                                USING ERRCODE = '22023';
                        ELSIF hi < lo THEN
                            RAISE EXCEPTION '%: pattern has a range whose start is after its end', fn
                                USING ERRCODE = '22023';
                        END IF;
                        EXIT;
                    END IF;
                    lo := hi;
                    v_range := coalesce(c[i] = '-' AND i + 1 <= n AND c[i + 1] <> ']', false);
                    IF lo < 0 AND v_range THEN
                        RAISE EXCEPTION '%: pattern has a class escape as the start of a range', fn
                            USING ERRCODE = '22023';
                    END IF;
                    EXIT WHEN NOT v_range;
                    i := i + 1;
                END LOOP;
            END LOOP;
            i := i + 1;
            atom := true;
        ELSIF ch = '\' THEN
            PERFORM ${schema}._steadytext_regex_escape(fn, c[i + 1], false);
            i := i + 2;
            atom := true;
        ELSIF ch IN ('^', '$') THEN
            IF NOT ((ch = '^' AND i = 1) OR (ch = '$' AND i = n)) THEN
                RAISE EXCEPTION '%: pattern has an anchor % inside; ^ and $ are supported only as its first and last character',
                    fn, ch USING ERRCODE = '22023';
            END IF;
            atom := false;
            i := i + 1;
        ELSIF ch IN ('*', '+', '?', '{') THEN
            IF NOT atom THEN
                RAISE EXCEPTION '%: pattern has a quantifier % that follows no atom', fn, ch USING ERRCODE = '22023';
            END IF;
            i := i + 1;
            IF ch = '{' THEN
                -- {m}, {m,} or {m,n}: each count at most 4 digits read, at most 255.
                FOR j IN 1 .. 2 LOOP
                    hi := 0;
                    lo := i;
                    WHILE i <= n AND ascii(c[i]) BETWEEN 48 AND 57 AND i - lo < 4 LOOP
                        hi := hi * 10 + ascii(c[i]) - 48;
                        i := i + 1;
                    END LOOP;
                    IF i = lo THEN
                        RAISE EXCEPTION '%: pattern has a { that does not start a quantifier {m}, {m,} or {m,n}; write \{ for the character',
                            fn USING ERRCODE = '22023';
                    ELSIF hi > 255 THEN
                        RAISE EXCEPTION '%: pattern has a repetition count above 255', fn USING ERRCODE = '22023';
                    END IF;
                    IF j = 1 THEN
                        v_min := hi;
                        v_max := hi;
                        EXIT WHEN c[i] IS DISTINCT FROM ',';
                        i := i + 1;
                        IF c[i] = '}' THEN
                            v_max := -1;
                            EXIT;
                        END IF;
                    ELSE
                        v_max := hi;
                    END IF;
                END LOOP;
                IF c[i] IS DISTINCT FROM '}' THEN
                    RAISE EXCEPTION '%: pattern has a { that does not start a quantifier {m}, {m,} or {m,n}; write \{ for the character',
                        fn USING ERRCODE = '22023';
                END IF;
                i := i + 1;
                IF v_max >= 0 AND v_min > v_max THEN
                    RAISE EXCEPTION '%: pattern has a repetition {%,%} whose minimum exceeds its maximum', fn, v_min, v_max
                        USING ERRCODE = '22023';
                END IF;
            END IF;
            IF c[i] = '?' THEN
                RAISE EXCEPTION '%: pattern has a lazy quantifier, which is not supported', fn USING ERRCODE = '22023';
            ELSIF c[i] IN ('*', '+', '{') THEN
                RAISE EXCEPTION '%: pattern has a quantifier % that follows no atom', fn, c[i] USING ERRCODE = '22023';
            END IF;
            atom := false;
        ELSIF ch IN (']', '}') THEN
            RAISE EXCEPTION '%: pattern has an unescaped %; write \% for the character', fn, ch, ch
                USING ERRCODE = '22023';
        ELSE
            atom := true;
            i := i + 1;
        END IF;
    END LOOP;
    IF depth > 0 THEN
        RAISE EXCEPTION '%: pattern has an unmatched (', fn USING ERRCODE = '22023';
    END IF;
END
$fn$;

-- The constraint argument of each function, checked, as the queue's params carry it (and the key reads it).
CREATE OR REPLACE FUNCTION ${schema}._steadytext_json_constraint(fn text, schema jsonb)
RETURNS jsonb LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF schema IS NULL THEN
        RAISE EXCEPTION '%: schema must not be NULL', fn USING ERRCODE = '22004';
    END IF;
    PERFORM ${schema}._steadytext_check_json_schema(fn, schema, '#');
    RETURN jsonb_build_object('json_schema', schema);
END
$fn$;

CREATE OR REPLACE FUNCTION ${schema}._steadytext_regex_constraint(fn text, pattern text)
RETURNS jsonb LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF pattern IS NULL THEN
        RAISE EXCEPTION '%: pattern must not be NULL', fn USING ERRCODE = '22004';
    END IF;
    PERFORM ${schema}._steadytext_check_regex(fn, pattern);
    RETURN jsonb_build_object('regex', pattern);
END
$fn$;

CREATE OR REPLACE FUNCTION ${schema}._steadytext_choice_constraint(fn text, choices text[])
RETURNS jsonb LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_i int := 0;
    v_choice text;
    v_seen text[] := '{}';
BEGIN
    IF choices IS NULL THEN
        RAISE EXCEPTION '%: choices must not be NULL', fn USING ERRCODE = '22004';
    ELSIF array_ndims(choices) > 1 THEN
        RAISE EXCEPTION '%: choices must be a one-dimensional array', fn USING ERRCODE = '22023';
    ELSIF cardinality(choices) < 2 THEN
        RAISE EXCEPTION '%: choices must have at least two elements, not %', fn, cardinality(choices)
            USING ERRCODE = '22023';
    END IF;
    FOREACH v_choice IN ARRAY choices LOOP
        v_i := v_i + 1;
        IF v_choice IS NULL THEN
            RAISE EXCEPTION '%: choices[%] is NULL', fn, v_i USING ERRCODE = '22004';
        ELSIF v_choice = '' THEN
            RAISE EXCEPTION '%: choices[%] is empty', fn, v_i USING ERRCODE = '22023';
        ELSIF v_choice = ANY (v_seen) THEN
            RAISE EXCEPTION '%: choices[%] repeats "%"', fn, v_i, v_choice USING ERRCODE = '22023';
        END IF;
        v_seen := v_seen || v_choice;
    END LOOP;
    RETURN jsonb_build_object('choices', to_jsonb(choices));
END
$fn$;

-- Validates a structured request (constraint: one of the *_constraint results) and computes its model, max_tokens,
-- cache key and queue params. The generation checks are _steadytext_generation_request's; its plain key is not used.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_structured_request(
    fn text, prompt text, constraint_params jsonb, max_tokens int, use_cache boolean, seed int, model text,
    unsafe_mode boolean,
    OUT model_fingerprint text, OUT effective_max_tokens int, OUT cache_key text, OUT params jsonb)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    r record;
BEGIN
    r := ${schema}._steadytext_generation_request(fn, prompt, max_tokens, use_cache, seed, '[EOS]', model, NULL,
        unsafe_mode, true);
    model_fingerprint := r.model_fingerprint;
    effective_max_tokens := r.effective_max_tokens;
    params := jsonb_build_object('max_tokens', r.effective_max_tokens, 'seed', seed, 'eos_string', '[EOS]')
        || constraint_params;
    cache_key := ${schema}.steadytext_cache_key_canonical('generation', r.model_fingerprint,
        (SELECT jsonb_object_agg(p.key, CASE jsonb_typeof(p.value) WHEN 'string' THEN p.value
                                         ELSE to_jsonb(p.value::text) END)
         FROM jsonb_each(params) AS p),
        prompt);
END
$fn$;

-- A synchronous structured request: the cache, else the job through the loopback and the wait (as
-- _steadytext_generate_slow does for plain generation).
CREATE OR REPLACE FUNCTION ${schema}._steadytext_structured(
    fn text, prompt text, constraint_params jsonb, max_tokens int, use_cache boolean, seed int, unsafe_mode boolean,
    model text)
RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_timeout interval := ${schema}._steadytext_sync_timeout();
    r record;
    v_result text;
    s ${schema}.steadytext_job_state;
BEGIN
    r := ${schema}._steadytext_structured_request(fn, prompt, constraint_params, max_tokens, use_cache, seed, model,
        unsafe_mode);
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
        'max_attempts', current_setting('steadytext.s_max_attempts')::int, 'params', r.params)));
    IF s.status = 'cached' THEN
        RETURN s.result;
    END IF;
    SELECT * INTO s FROM ${schema}._steadytext_await(ARRAY[s.request_id], fn, v_timeout);
    RETURN s.result;
END
$fn$;

-- An asynchronous structured request, in the caller's transaction.
CREATE OR REPLACE FUNCTION ${schema}._steadytext_structured_async(
    fn text, prompt text, constraint_params jsonb, max_tokens int, use_cache boolean, seed int, unsafe_mode boolean,
    model text)
RETURNS uuid LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    r record;
BEGIN
    r := ${schema}._steadytext_structured_request(fn, prompt, constraint_params, max_tokens, use_cache, seed, model,
        unsafe_mode);
    RETURN ${schema}._steadytext_insert_job('generate', r.model_fingerprint, use_cache, r.cache_key, prompt, NULL, NULL,
        r.params);
END
$fn$;

-- The JSON document is returned bare (no tags, no whitespace), castable to jsonb.
CREATE OR REPLACE FUNCTION ${schema}.steadytext_generate_json(
    prompt text, schema jsonb, max_tokens int DEFAULT NULL, use_cache boolean DEFAULT true, seed int DEFAULT 42,
    unsafe_mode boolean DEFAULT false, model text DEFAULT NULL)
RETURNS text LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT ${schema}._steadytext_structured('steadytext_generate_json', $1,
        ${schema}._steadytext_json_constraint('steadytext_generate_json', $2), $3, $4, $5, $6, $7)
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.steadytext_generate_regex(
    prompt text, pattern text, max_tokens int DEFAULT NULL, use_cache boolean DEFAULT true, seed int DEFAULT 42,
    unsafe_mode boolean DEFAULT false, model text DEFAULT NULL)
RETURNS text LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT ${schema}._steadytext_structured('steadytext_generate_regex', $1,
        ${schema}._steadytext_regex_constraint('steadytext_generate_regex', $2), $3, $4, $5, $6, $7)
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.steadytext_generate_choice(
    prompt text, choices text[], max_tokens int DEFAULT NULL, use_cache boolean DEFAULT true, seed int DEFAULT 42,
    unsafe_mode boolean DEFAULT false, model text DEFAULT NULL)
RETURNS text LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT ${schema}._steadytext_structured('steadytext_generate_choice', $1,
        ${schema}._steadytext_choice_constraint('steadytext_generate_choice', $2), $3, $4, $5, $6, $7)
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.steadytext_generate_json_async(
    prompt text, schema jsonb, max_tokens int DEFAULT NULL, use_cache boolean DEFAULT true, seed int DEFAULT 42,
    unsafe_mode boolean DEFAULT false, model text DEFAULT NULL)
RETURNS uuid LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT ${schema}._steadytext_structured_async('steadytext_generate_json_async', $1,
        ${schema}._steadytext_json_constraint('steadytext_generate_json_async', $2), $3, $4, $5, $6, $7)
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.steadytext_generate_regex_async(
    prompt text, pattern text, max_tokens int DEFAULT NULL, use_cache boolean DEFAULT true, seed int DEFAULT 42,
    unsafe_mode boolean DEFAULT false, model text DEFAULT NULL)
RETURNS uuid LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT ${schema}._steadytext_structured_async('steadytext_generate_regex_async', $1,
        ${schema}._steadytext_regex_constraint('steadytext_generate_regex_async', $2), $3, $4, $5, $6, $7)
$fn$;

CREATE OR REPLACE FUNCTION ${schema}.steadytext_generate_choice_async(
    prompt text, choices text[], max_tokens int DEFAULT NULL, use_cache boolean DEFAULT true, seed int DEFAULT 42,
    unsafe_mode boolean DEFAULT false, model text DEFAULT NULL)
RETURNS uuid LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT ${schema}._steadytext_structured_async('steadytext_generate_choice_async', $1,
        ${schema}._steadytext_choice_constraint('steadytext_generate_choice_async', $2), $3, $4, $5, $6, $7)
$fn$;

-- st_* aliases, as 040-aliases.sql writes them.
CREATE OR REPLACE FUNCTION ${schema}.st_generate_json(
    prompt text, schema jsonb, max_tokens int DEFAULT NULL, use_cache boolean DEFAULT true, seed int DEFAULT 42,
    unsafe_mode boolean DEFAULT false, model text DEFAULT NULL)
RETURNS text LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_generate_json($1, $2, $3, $4, $5, $6, $7) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_generate_regex(
    prompt text, pattern text, max_tokens int DEFAULT NULL, use_cache boolean DEFAULT true, seed int DEFAULT 42,
    unsafe_mode boolean DEFAULT false, model text DEFAULT NULL)
RETURNS text LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_generate_regex($1, $2, $3, $4, $5, $6, $7) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_generate_choice(
    prompt text, choices text[], max_tokens int DEFAULT NULL, use_cache boolean DEFAULT true, seed int DEFAULT 42,
    unsafe_mode boolean DEFAULT false, model text DEFAULT NULL)
RETURNS text LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_generate_choice($1, $2, $3, $4, $5, $6, $7) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_generate_json_async(
    prompt text, schema jsonb, max_tokens int DEFAULT NULL, use_cache boolean DEFAULT true, seed int DEFAULT 42,
    unsafe_mode boolean DEFAULT false, model text DEFAULT NULL)
RETURNS uuid LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_generate_json_async($1, $2, $3, $4, $5, $6, $7) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_generate_regex_async(
    prompt text, pattern text, max_tokens int DEFAULT NULL, use_cache boolean DEFAULT true, seed int DEFAULT 42,
    unsafe_mode boolean DEFAULT false, model text DEFAULT NULL)
RETURNS uuid LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_generate_regex_async($1, $2, $3, $4, $5, $6, $7) $fn$;

CREATE OR REPLACE FUNCTION ${schema}.st_generate_choice_async(
    prompt text, choices text[], max_tokens int DEFAULT NULL, use_cache boolean DEFAULT true, seed int DEFAULT 42,
    unsafe_mode boolean DEFAULT false, model text DEFAULT NULL)
RETURNS uuid LANGUAGE sql VOLATILE
AS $fn$ SELECT ${schema}.steadytext_generate_choice_async($1, $2, $3, $4, $5, $6, $7) $fn$;

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
          AND p.proname IN ('steadytext_generate_json', 'steadytext_generate_regex', 'steadytext_generate_choice',
              'steadytext_generate_json_async', 'steadytext_generate_regex_async', 'steadytext_generate_choice_async',
              'st_generate_json', 'st_generate_regex', 'st_generate_choice', 'st_generate_json_async',
              'st_generate_regex_async', 'st_generate_choice_async', '_steadytext_check_json_schema',
              '_steadytext_regex_escape', '_steadytext_check_regex', '_steadytext_json_constraint',
              '_steadytext_regex_constraint', '_steadytext_choice_constraint', '_steadytext_structured_request',
              '_steadytext_structured', '_steadytext_structured_async')
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
