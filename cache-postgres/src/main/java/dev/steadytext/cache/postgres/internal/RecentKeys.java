package dev.steadytext.cache.postgres.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys inserted or hit in the last {@code protectMillis}, which the leader never evicts: an entry just computed
 * or just read is kept for a moment whatever the policy thinks, so that eviction cannot take an entry from under a
 * caller that is about to use it, nor throw away a fresh result before anyone has had a chance to hit it. Used by the
 * leader's thread only.
 */
final class RecentKeys {

    private final long protectMillis;
    /** Insertion order is touch order: a touched key is moved to the end, so the oldest touches are first. */
    private final LinkedHashMap<String, Long> touched = new LinkedHashMap<>();

    RecentKeys(long protectMillis) {
        this.protectMillis = protectMillis;
    }

    void touch(String key, long millis) {
        if (protectMillis > 0) {
            touched.remove(key);
            touched.put(key, millis);
        }
    }

    boolean contains(String key) {
        return touched.containsKey(key);
    }

    int size() {
        return touched.size();
    }

    /** Forgets the keys last touched {@code protectMillis} or longer before {@code nowMillis}. */
    void expire(long nowMillis) {
        Iterator<Map.Entry<String, Long>> oldestFirst = touched.entrySet().iterator();
        while (oldestFirst.hasNext()) {
            if (oldestFirst.next().getValue() > nowMillis - protectMillis) {
                return;
            }
            oldestFirst.remove();
        }
    }
}
