package dev.steadytext.cache.postgres.internal;

import dev.steadytext.api.eviction.CacheEntry;
import dev.steadytext.api.eviction.EvictionTracker;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The leader's trackers, one per cache kind, and how events reach them. Used by the leader's thread only. */
final class Trackers {

    /** What the fold writes back for one touched entry. */
    static final class Touch {
        final String kind;
        long hits;
        Long lastHitMicros;

        Touch(String kind) {
            this.kind = kind;
        }
    }

    private final Map<String, KindTracker> byKind = new LinkedHashMap<>();

    KindTracker get(String kind) {
        return byKind.get(kind);
    }

    void put(KindTracker tracker) {
        byKind.put(tracker.kind(), tracker);
    }

    Collection<KindTracker> all() {
        return byKind.values();
    }

    /** Drops every tracker: no policy is left to run them. */
    void clear() {
        byKind.clear();
    }

    /**
     * Feeds events, in order, to the trackers of their kinds (kinds {@code feeds} rejects are skipped: their
     * trackers were just loaded from the cache itself), and returns the entries to write back, by key: every entry
     * inserted or hit, with its hits.
     */
    Map<String, Touch> feed(List<FeedEvent> events, RecentKeys recent, Predicate<String> feeds) {
        Map<String, Touch> touched = new LinkedHashMap<>();
        for (FeedEvent event : events) {
            if (event.type() == FeedEvent.Type.CLEAR) {
                byKind.values().stream().filter(t -> feeds.test(t.kind())).forEach(KindTracker::clear);
                continue;
            }
            KindTracker kind = byKind.get(event.kind());
            // Statistics are folded whatever the trackers: a kind without one (no policy registered, or one just
            // loaded from the cache itself) still gets its access counts.
            EvictionTracker tracker = kind != null && feeds.test(event.kind()) ? kind.tracker() : null;
            switch (event.type()) {
                case INSERT -> {
                    if (tracker != null) {
                        tracker.onInsert(new CacheEntry(event.key(), event.sizeBytes(), event.computeMillis()),
                                event.millis());
                    }
                    recent.touch(event.key(), event.millis());
                    touched.computeIfAbsent(event.key(), k -> new Touch(event.kind()));
                }
                case HIT -> {
                    if (tracker != null) {
                        tracker.onHit(event.key(), event.millis());
                    }
                    recent.touch(event.key(), event.millis());
                    Touch touch = touched.computeIfAbsent(event.key(), k -> new Touch(event.kind()));
                    touch.hits++;
                    touch.lastHitMicros = touch.lastHitMicros == null ? event.micros()
                            : Math.max(touch.lastHitMicros, event.micros());
                }
                case MISS -> {
                    if (tracker != null) {
                        tracker.onMiss(event.key(), event.millis());
                    }
                }
                case DELETE -> {
                    if (tracker != null) {
                        tracker.onRemove(event.key());
                    }
                }
                default -> throw new IllegalStateException("unexpected event " + event.type());
            }
        }
        return touched;
    }

    /** The policy's description of a touched entry, for {@code steadytext_cache.policy_meta}. */
    String describe(String kind, String key, long nowMillis) {
        KindTracker tracker = byKind.get(kind);
        return tracker == null ? null : tracker.peek().describe(key, nowMillis);
    }
}
