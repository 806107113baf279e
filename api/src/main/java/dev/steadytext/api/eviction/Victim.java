package dev.steadytext.api.eviction;

import java.util.Objects;

/**
 * An entry a policy proposes to evict.
 *
 * @param key the entry's cache key
 * @param score the policy's own measure, lower is more evictable within one list of victims (a last access time,
 *     an aged frequency, a frecency score); comparable only between victims of the same call
 * @param reason a short phrase for users, such as {@code "least recently used"} or {@code "ARC T1 (seen once)"}
 */
public record Victim(String key, double score, String reason) {

    public Victim {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reason, "reason");
    }
}
