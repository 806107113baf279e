package dev.steadytext.api.eviction;

import java.util.Objects;

/**
 * What a policy knows of a stored entry when it arrives: its key and what it would cost to lose it.
 *
 * @param key the entry's cache key (64 lower-case hex digits in the platform; any string in a simulation)
 * @param sizeBytes what the entry occupies, at least 0
 * @param computeMillis how long its result took to compute, at least 0: what a later miss on it costs again
 */
public record CacheEntry(String key, long sizeBytes, long computeMillis) {

    public CacheEntry {
        Objects.requireNonNull(key, "key");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must not be negative: " + sizeBytes);
        }
        if (computeMillis < 0) {
            throw new IllegalArgumentException("computeMillis must not be negative: " + computeMillis);
        }
    }
}
