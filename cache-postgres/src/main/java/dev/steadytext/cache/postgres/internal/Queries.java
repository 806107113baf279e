package dev.steadytext.cache.postgres.internal;

/**
 * The SQL of the cache store and its eviction service. Tables are named without a schema: the platform's connections
 * have the configured schema as their current schema. Times cross as milliseconds since the epoch (what trackers
 * take), or microseconds where they are written back to a timestamptz column.
 */
final class Queries {

    private Queries() {
    }

    /** One leader per schema: a session-level advisory lock, held as long as the leader's connection lives. */
    static final String TRY_LEAD = "SELECT pg_try_advisory_lock(hashtext('steadytext-eviction:' || current_schema()))";

    static final String UNLOCK = "SELECT pg_advisory_unlock(hashtext('steadytext-eviction:' || current_schema()))";

    /** Eviction requests wake the leader through this channel (see 070-eviction.sql). */
    static final String LISTEN = "LISTEN steadytext_eviction";

    static final String CLOCK = "SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint";

    /** Budgets per kind (NULL: unbounded), the policy chosen in SQL (NULL: none) and whether budgets are kept. */
    static final String SETTINGS = "SELECT kind, max_entries, max_bytes, policy, enabled FROM _steadytext_eviction_settings()";

    /**
     * Takes the oldest recorded inserts and removals; the rest stay for the next fold. The ids go as an array: as
     * {@code id IN (subquery)} the plan, made while the table looked empty, compared every row with every id
     * (650 ms a fold with 20,000 changes); {@code = ANY(array)} is a probe of the key per id whatever the statistics.
     */
    static final String TAKE_CHANGES = """
            DELETE FROM steadytext_cache_changes
             WHERE id = ANY (ARRAY(SELECT id FROM steadytext_cache_changes ORDER BY id LIMIT ?))  -- most per fold
            RETURNING id, change, kind, cache_key, size_bytes, compute_ms, (extract(epoch FROM changed_at) * 1000)::bigint
            """;

    /** Takes every recorded change: a loader reads the cache itself, in the same snapshot. */
    static final String TAKE_ALL_CHANGES = """
            DELETE FROM steadytext_cache_changes
            RETURNING id, change, kind, cache_key, size_bytes, compute_ms, (extract(epoch FROM changed_at) * 1000)::bigint
            """;

    /**
     * Moves the access log into the hit and miss counters and returns its rows, in one statement. Rows appended while
     * it runs are not in its snapshot and stay for the next fold. While config cache_access_trace is true the rows
     * also go to steadytext_cache_trace, with the entry's size and compute time (070-eviction.sql). A row of weight
     * n, a sampled hit of a hot entry (see steadytext_generate), counts and is traced as n hits.
     */
    static final String TAKE_ACCESSES = """
            WITH moved AS (
                DELETE FROM steadytext_cache_access RETURNING cache_key, kind, hit, accessed_at, weight),
            traced AS (
                INSERT INTO steadytext_cache_trace (kind, cache_key, hit, size_bytes, compute_ms, accessed_at)
                SELECT m.kind, m.cache_key, m.hit, octet_length(c.prompt) + c.response_size, c.generation_time_ms,
                       m.accessed_at
                  FROM moved m LEFT JOIN steadytext_cache c ON c.cache_key = m.cache_key
                       CROSS JOIN LATERAL generate_series(1, m.weight) AS copies
                 WHERE (SELECT t.value = 'true'::jsonb FROM steadytext_config t WHERE t.key = 'cache_access_trace')),
            per_kind AS (
                SELECT kind, coalesce(sum(weight) FILTER (WHERE hit), 0) AS hits,
                       coalesce(sum(weight) FILTER (WHERE NOT hit), 0) AS misses
                  FROM moved GROUP BY kind),
            counted AS (
                UPDATE steadytext_cache_counters c
                   SET hits = c.hits + per_kind.hits, misses = c.misses + per_kind.misses
                  FROM per_kind WHERE c.kind = per_kind.kind)
            SELECT cache_key, kind, hit, (extract(epoch FROM accessed_at) * 1000000)::bigint, weight FROM moved
            """;

    /**
     * The folded statistics and the policy's description of every entry touched since the last fold, one UPDATE per
     * row: hits take no row lock, this does, briefly, in the leader's fold transaction.
     */
    static final String UPDATE_ENTRIES = """
            UPDATE steadytext_cache c
               SET access_count = c.access_count + u.hits,
                   last_accessed = CASE WHEN u.last_us IS NULL THEN c.last_accessed
                                        ELSE greatest(c.last_accessed, to_timestamp(u.last_us / 1e6)) END,
                   policy_meta = coalesce(u.meta, c.policy_meta)
              FROM unnest(?::text[],     -- cache_key
                          ?::bigint[],   -- hits folded now
                          ?::bigint[],   -- the last of them, microseconds since the epoch (NULL: none)
                          ?::text[])     -- policy_meta: the tracker's describe()
                   AS u(cache_key, hits, last_us, meta)
             WHERE c.cache_key = u.cache_key
            """;

    /** Every entry of a kind as a policy would have seen them arrive: least recently accessed first. */
    static final String ENTRIES = """
            SELECT cache_key, octet_length(prompt) + response_size, coalesce(generation_time_ms, 0), access_count,
                   (extract(epoch FROM created_at) * 1000)::bigint, (extract(epoch FROM last_accessed) * 1000)::bigint
              FROM steadytext_cache
             WHERE kind = ?                          -- kind
             ORDER BY last_accessed, id
            """;

    static final String LOAD_STATE = "SELECT kind, policy, snapshot FROM steadytext_eviction_state";

    static final String SAVE_STATE = """
            INSERT INTO steadytext_eviction_state AS s (kind, policy, snapshot, entries, bytes, saved_at)
            VALUES (?, ?, ?, ?, ?, now())          -- kind, policy, snapshot, entries, bytes
            ON CONFLICT (kind) DO UPDATE SET policy = EXCLUDED.policy, snapshot = EXCLUDED.snapshot,
                entries = EXCLUDED.entries, bytes = EXCLUDED.bytes, saved_at = EXCLUDED.saved_at
            """;

    /** Which proposed victims are still cached, their sizes, and whether they are too young to evict. */
    static final String PRESENT = """
            SELECT cache_key, octet_length(prompt) + response_size,
                   created_at > now() - ? * interval '1 millisecond'    -- protectMillis
              FROM steadytext_cache
             WHERE kind = ?                                            -- kind
               AND cache_key = ANY(?)                                  -- the proposed victims
            """;

    /** Marks this transaction's deletions as the leader's own, which the change feed then does not record. */
    static final String MARK_EVICTOR = "SELECT set_config('steadytext.evictor', ?, true)";

    /** One batch: a single DELETE, so an entry is either wholly there or wholly gone; counted in the same transaction. */
    static final String EVICT = """
            WITH gone AS (
                DELETE FROM steadytext_cache c
                 WHERE c.kind = ?                                      -- kind
                   AND c.cache_key = ANY(?)                            -- the chosen victims
                   AND c.created_at < now() - ? * interval '1 millisecond'  -- protectMillis: re-inserted meanwhile
                RETURNING c.cache_key, octet_length(c.prompt) + c.response_size AS size),
            counted AS (
                UPDATE steadytext_cache_counters k
                   SET evictions = k.evictions + (SELECT count(*) FROM gone),
                       evicted_bytes = k.evicted_bytes + (SELECT coalesce(sum(size), 0) FROM gone)
                 WHERE k.kind = ?)                                     -- kind
            SELECT cache_key, size FROM gone
            """;

    static final String LOG_ROUND = """
            INSERT INTO steadytext_eviction_log (started_at, duration_ms, kind, policy, trigger, entries_before,
                                                 entries_after, bytes_before, bytes_after, evicted, evicted_bytes,
                                                 request_id)
            VALUES (to_timestamp(? / 1000.0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;

    static final String PRUNE_LOG = "DELETE FROM steadytext_eviction_log WHERE started_at < now() - interval '30 days'";

    static final String PRUNE_REQUESTS = """
            DELETE FROM steadytext_eviction_requests WHERE finished_at < now() - interval '1 hour'
            """;

    static final String UNPUBLISH_POLICIES = "DELETE FROM steadytext_eviction_policies WHERE name <> ALL(?)";

    static final String PUBLISH_POLICIES = """
            INSERT INTO steadytext_eviction_policies (name, description)
            SELECT * FROM unnest(?::text[], ?::text[])                 -- names, descriptions
            ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description, updated_at = now()
            """;

    /** Requests a former leader was running when it stopped: their callers may still be waiting. */
    static final String RESUME_REQUESTS = """
            UPDATE steadytext_eviction_requests SET status = 'pending', started_at = NULL WHERE status = 'running'
            """;

    static final String CLAIM_REQUEST = """
            UPDATE steadytext_eviction_requests r SET status = 'running', started_at = clock_timestamp()
             WHERE r.request_id = (SELECT request_id FROM steadytext_eviction_requests
                                    WHERE status = 'pending' ORDER BY created_at LIMIT 1)
            RETURNING r.request_id, r.action, r.args ->> 'trigger', (r.args ->> 'target_entries')::bigint,
                      (r.args ->> 'target_bytes')::bigint, r.args ->> 'policy', (r.args ->> 'count')::int
            """;

    /** Answers an evict request: per kind what was evicted, and what the table holds now. */
    static final String EVICTED = answer("""
            status = 'done',
            result = jsonb_build_object('kinds', (
                SELECT coalesce(jsonb_agg(jsonb_build_object(
                           'kind', u.kind, 'policy', u.policy, 'evicted', u.evicted, 'evicted_bytes', u.evicted_bytes,
                           'entries_after', (SELECT count(*) FROM steadytext_cache c WHERE c.kind = u.kind),
                           'bytes_after', (SELECT coalesce(sum(octet_length(c.prompt) + c.response_size), 0)
                                             FROM steadytext_cache c WHERE c.kind = u.kind))
                           ORDER BY u.kind), '[]'::jsonb)
                  FROM unnest(?::text[],        -- kind
                              ?::text[],        -- policy
                              ?::bigint[],      -- evicted
                              ?::bigint[])      -- evicted_bytes
                       AS u(kind, policy, evicted, evicted_bytes)))""");

    /** Answers a preview request: the victims, per kind in order. */
    static final String PREVIEWED = answer("""
            status = 'done',
            result = jsonb_build_object('victims', (
                SELECT coalesce(jsonb_agg(jsonb_build_object(
                           'kind', u.kind, 'rank', u.rank, 'key', u.key, 'reason', u.reason, 'score', u.score,
                           'policy', u.policy) ORDER BY u.kind, u.rank), '[]'::jsonb)
                  FROM unnest(?::text[],        -- kind
                              ?::int[],         -- rank
                              ?::text[],        -- cache_key
                              ?::text[],        -- reason
                              ?::float8[],      -- score
                              ?::text[])        -- policy
                       AS u(kind, rank, key, reason, score, policy)))""");

    static final String REQUEST_FAILED = answer("""
            status = 'failed', error = ?, error_code = ?                -- message, SQLSTATE""");

    /** Records a request's answer and wakes its caller; the last parameter is the request's id. */
    private static String answer(String assignments) {
        return """
                WITH done AS (
                    UPDATE steadytext_eviction_requests
                       SET finished_at = clock_timestamp(),
                %s
                     WHERE request_id = ?
                    RETURNING request_id)
                SELECT pg_notify('steadytext_done', request_id::text) FROM done
                """.formatted(assignments);
    }

    static final String STATS = """
            SELECT k.kind, count(c.cache_key), coalesce(sum(c.response_size), 0), k.hits, k.misses
              FROM steadytext_cache_counters k
              LEFT JOIN steadytext_cache c ON c.kind = k.kind
             GROUP BY k.kind, k.hits, k.misses
             ORDER BY k.kind
            """;
}
