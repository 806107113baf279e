--liquibase formatted sql

--changeset steadytext:003-config runOnChange:true
-- Seeds: new keys are added, descriptions refreshed, and values an operator has set are never overwritten.
INSERT INTO ${schema}.steadytext_config (key, value, description) VALUES
    ('default_max_tokens', '512', 'max_tokens of a generation that gives none'),
    ('max_tokens_limit', '4096', 'the largest max_tokens accepted'),
    ('max_input_length', '65536', 'the longest prompt or text accepted, in characters'),
    ('sync_timeout_seconds', '30', 'how long a synchronous call waits for a worker when the session sets no steadytext.sync_timeout'),
    ('worker_stale_seconds', '15', 'a worker whose last heartbeat is older than this is not live'),
    ('worker_paused', 'false', 'set by steadytext_daemon_stop/start; workers read it with every heartbeat and claim nothing while true'),
    ('loopback_connstr', 'null', 'libpq connection string of the dblink loopback that enqueues synchronous requests; null: the foreign server steadytext_loopback if it exists, else this server''s socket or localhost port'),
    ('max_attempts', '3', 'how many times a job is tried before it ends failed'),
    ('session_cache_seconds', '1', 'how long a session reuses the config values and default models it read, on the cache-hit path'),
    ('cache_hot_hit_sampling', '16', 'n: a hit of a hot entry (64 hits or more, the last within 2 s) is logged once in n, counting n; 1 logs every hit, as does a trace being recorded (cache_access_trace)')
ON CONFLICT (key) DO UPDATE SET description = EXCLUDED.description;
