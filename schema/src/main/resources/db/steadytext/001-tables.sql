--liquibase formatted sql

-- The tables every other part of the platform reads and writes. ${schema} is the one configurable schema that
-- holds everything (default public). Functions live in later files and are re-applied when they change.

--changeset steadytext:001-tables
CREATE TABLE ${schema}.steadytext_config (
    key         text PRIMARY KEY,
    value       jsonb NOT NULL,
    description text,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Models announced by workers. A request names a model (or takes the default of its kind); its fingerprint is part
-- of the cache key, so results of different model files or backend builds never mix.
CREATE TABLE ${schema}.steadytext_models (
    fingerprint     text PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('generation', 'embedding')),
    name            text NOT NULL,
    backend         text NOT NULL,
    backend_version text NOT NULL,
    model_sha256    text NOT NULL,
    settings        text NOT NULL,
    dimension       int  NOT NULL DEFAULT 0,
    is_default      boolean NOT NULL DEFAULT false,
    registered_at   timestamptz NOT NULL DEFAULT now(),
    last_seen       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX steadytext_models_default ON ${schema}.steadytext_models (kind, last_seen DESC) WHERE is_default;

CREATE TABLE ${schema}.steadytext_workers (
    worker_id      uuid PRIMARY KEY,
    host           text NOT NULL,
    pid            bigint NOT NULL,
    started_at     timestamptz NOT NULL DEFAULT now(),
    last_heartbeat timestamptz NOT NULL DEFAULT now(),
    stopped_at     timestamptz,
    jobs_done      bigint NOT NULL DEFAULT 0,
    models         text[] NOT NULL DEFAULT '{}'
);

-- One row per computed result. prompt holds the input of every kind (the prompt, or the text embedded).
CREATE TABLE ${schema}.steadytext_cache (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cache_key          text NOT NULL UNIQUE,
    kind               text NOT NULL CHECK (kind IN ('generation', 'embedding')),
    model_fingerprint  text NOT NULL,
    model_name         text,
    prompt             text NOT NULL,
    response           text,
    embedding          real[],
    seed               int,
    eos_string         text,
    generation_params  jsonb NOT NULL DEFAULT '{}',
    response_size      int NOT NULL,
    generation_time_ms int,
    access_count       bigint NOT NULL DEFAULT 0,
    last_accessed      timestamptz NOT NULL DEFAULT now(),
    created_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (kind <> 'generation' OR response IS NOT NULL),
    CHECK (kind <> 'embedding' OR embedding IS NOT NULL)
);

-- Hits append here instead of updating the cached row, so that a hit takes no row lock and a hot key does not
-- serialise its readers. Unlogged and unindexed: the cheapest append PostgreSQL offers. The worker folds it into
-- steadytext_cache.access_count/last_accessed and steadytext_cache_counters every second; a crash may lose the
-- last second of statistics, never a cache entry.
CREATE UNLOGGED TABLE ${schema}.steadytext_cache_access (
    cache_key   text NOT NULL,
    kind        text NOT NULL,
    hit         boolean NOT NULL,
    accessed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ${schema}.steadytext_cache_counters (
    kind   text PRIMARY KEY CHECK (kind IN ('generation', 'embedding')),
    hits   bigint NOT NULL DEFAULT 0,
    misses bigint NOT NULL DEFAULT 0,
    reset_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO ${schema}.steadytext_cache_counters (kind) VALUES ('generation'), ('embedding');

-- Requests and their lifecycle: pending -> processing -> completed | failed | cancelled.
-- A claim is a lease (lease_until); an expired lease makes a processing job claimable again.
CREATE TABLE ${schema}.steadytext_queue (
    request_id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    request_type       text NOT NULL CHECK (request_type IN ('generate', 'embed', 'embed_batch')),
    status             text NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
    model_fingerprint  text NOT NULL,
    use_cache          boolean NOT NULL DEFAULT true,
    -- Sync callers' requests with the same cache key collapse into one in-flight job (see the unique index).
    coalescible        boolean NOT NULL DEFAULT false,
    cache_key          text,              -- the single input's key; NULL for embed_batch
    prompt             text,              -- the single input (generate, embed)
    inputs             text[],            -- embed_batch inputs
    cache_keys         text[],            -- embed_batch keys, one per input
    params             jsonb NOT NULL DEFAULT '{}',   -- generation: max_tokens, seed, eos_string
    result             text,
    embedding          real[],
    embeddings         real[],            -- embed_batch: a 2-D array, one row per input
    error              text,
    attempts           int NOT NULL DEFAULT 0,
    max_attempts       int NOT NULL DEFAULT 3,
    run_after          timestamptz NOT NULL DEFAULT now(),
    lease_until        timestamptz,
    worker_id          uuid,
    requester          name NOT NULL DEFAULT session_user,
    priority           smallint NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    started_at         timestamptz,
    completed_at       timestamptz,
    processing_time_ms int,
    CHECK ((request_type = 'embed_batch') = (inputs IS NOT NULL)),
    CHECK (request_type = 'embed_batch' OR (prompt IS NOT NULL AND cache_key IS NOT NULL))
);
CREATE INDEX steadytext_queue_runnable ON ${schema}.steadytext_queue (priority, created_at) WHERE status = 'pending';
CREATE INDEX steadytext_queue_leased ON ${schema}.steadytext_queue (lease_until) WHERE status = 'processing';
CREATE INDEX steadytext_queue_requester ON ${schema}.steadytext_queue (requester, created_at);
CREATE UNIQUE INDEX steadytext_queue_inflight ON ${schema}.steadytext_queue (cache_key)
    WHERE coalescible AND status IN ('pending', 'processing');
--rollback DROP TABLE ${schema}.steadytext_queue, ${schema}.steadytext_cache_counters, ${schema}.steadytext_cache_access, ${schema}.steadytext_cache, ${schema}.steadytext_workers, ${schema}.steadytext_models, ${schema}.steadytext_config;

--changeset steadytext:001-access-weight
-- A logged hit may stand for several: a hit of a hot entry is logged with probability 1/n and weight n (config
-- cache_hot_hit_sampling, see steadytext_generate), which keeps the counts unbiased at a sixteenth of the appends.
ALTER TABLE ${schema}.steadytext_cache_access
    ADD COLUMN weight int NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 1024);
--rollback ALTER TABLE ${schema}.steadytext_cache_access DROP COLUMN weight;
