package dev.steadytext.api.cache;

/**
 * Cache figures for one kind.
 *
 * @param kind the kind these figures count
 * @param entries rows in the cache
 * @param bytes the sum of the entries' result sizes
 * @param hits lookups answered from the cache since the counters were last reset
 * @param misses lookups that had to be computed
 */
public record CacheStats(CacheKind kind, long entries, long bytes, long hits, long misses) {

    /** Hits over lookups, or 0 when there were none. */
    public double hitRate() {
        long lookups = hits + misses;
        return lookups == 0 ? 0.0 : (double) hits / lookups;
    }
}
