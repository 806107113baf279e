package dev.steadytext.cache.postgres.internal;

import dev.steadytext.api.cache.CacheKind;
import dev.steadytext.api.cache.CacheStats;
import dev.steadytext.api.cache.CacheStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The cache store over {@code steadytext_cache} and its access log. */
@Component(service = CacheStore.class)
public final class PostgresCacheStore implements CacheStore {

    /**
     * Moves the access log into the statistics in one statement. Rows appended while it runs are not in its snapshot
     * and stay for the next fold; the UPDATE takes row locks that plain SELECTs of the hit path never wait for.
     */
    static final String FOLD = """
            WITH moved AS (
                DELETE FROM steadytext_cache_access RETURNING cache_key, kind, hit, accessed_at),
            per_kind AS (
                SELECT kind, count(*) FILTER (WHERE hit) AS hits, count(*) FILTER (WHERE NOT hit) AS misses
                  FROM moved GROUP BY kind),
            counted AS (
                UPDATE steadytext_cache_counters c
                   SET hits = c.hits + per_kind.hits, misses = c.misses + per_kind.misses
                  FROM per_kind WHERE c.kind = per_kind.kind),
            per_key AS (
                SELECT cache_key, count(*) AS n, max(accessed_at) AS last
                  FROM moved WHERE hit GROUP BY cache_key),
            touched AS (
                UPDATE steadytext_cache c
                   SET access_count = c.access_count + per_key.n,
                       last_accessed = greatest(c.last_accessed, per_key.last)
                  FROM per_key WHERE c.cache_key = per_key.cache_key)
            SELECT count(*) FROM moved
            """;

    static final String STATS = """
            SELECT k.kind, count(c.cache_key), coalesce(sum(c.response_size), 0), k.hits, k.misses
              FROM steadytext_cache_counters k
              LEFT JOIN steadytext_cache c ON c.kind = k.kind
             GROUP BY k.kind, k.hits, k.misses
             ORDER BY k.kind
            """;

    private final DataSource dataSource;

    @Activate
    public PostgresCacheStore(@Reference DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public int foldAccessLog() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement fold = connection.prepareStatement(FOLD);
             ResultSet row = fold.executeQuery()) {
            row.next();
            return row.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException("folding the cache access log failed: " + e.getMessage()
                    + " (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    @Override
    public List<CacheStats> stats() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(STATS);
             ResultSet rows = query.executeQuery()) {
            List<CacheStats> stats = new ArrayList<>();
            while (rows.next()) {
                CacheKind kind = rows.getString(1).equals(CacheKind.GENERATION.sqlName()) ? CacheKind.GENERATION : CacheKind.EMBEDDING;
                stats.add(new CacheStats(kind, rows.getLong(2), rows.getLong(3), rows.getLong(4), rows.getLong(5)));
            }
            return stats;
        } catch (SQLException e) {
            throw new IllegalStateException("reading cache statistics failed: " + e.getMessage()
                    + " (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }
}
