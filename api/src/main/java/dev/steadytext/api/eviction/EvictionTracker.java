package dev.steadytext.api.eviction;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The state of one policy over the entries of one cache kind: it sees every access and proposes victims.
 *
 * <p>A tracker is used by one thread at a time and needs no synchronisation. Times are milliseconds since the epoch,
 * given by the caller (the platform passes the time the access happened, the simulator a virtual clock), so a
 * tracker never reads a clock itself and replays are reproducible.
 *
 * <p>The life of an entry: {@link #onInsert} once when its result is stored; {@link #onHit} for each lookup that
 * found it; then either {@link #onEvict} when the platform deleted it because this tracker chose it, or
 * {@link #onRemove} when it went for another reason (a cache clear, a manual delete). {@link #onMiss} reports a
 * lookup of a key that was not cached, which is usually followed by its insert; policies with a history of evicted
 * keys (ARC's ghost lists) learn from it. Calls for keys in an unexpected state (a hit for an unknown key, a remove
 * of a key never inserted) are ignored, since the platform's view may briefly lag the database.
 */
@ConsumerType
public interface EvictionTracker {

    /** A new entry was stored. Inserting a key already tracked replaces its size and cost and counts as an access. */
    void onInsert(CacheEntry entry, long nowMillis);

    /** A lookup found the entry with this key. */
    void onHit(String key, long nowMillis);

    /** A lookup did not find this key. */
    void onMiss(String key, long nowMillis);

    /** The platform deleted this entry because the tracker proposed it; the tracker may remember it as history. */
    void onEvict(String key);

    /** The entry is gone for a reason of its own (cleared, deleted by hand); the tracker forgets it. */
    void onRemove(String key);

    /**
     * Up to {@code count} entries to evict next, the most evictable first, each with the policy's reason. Choosing
     * removes nothing: the platform deletes what it can and then reports each deletion with {@link #onEvict}. Two
     * calls with no access in between return the same list.
     */
    List<Victim> victims(int count, long nowMillis);

    /** How many entries are tracked. */
    int size();

    /** The sum of the tracked entries' sizes in bytes. */
    long weightBytes();

    /**
     * What the policy knows of one tracked entry, for users to read in SQL (for example {@code "T2"} for an ARC
     * entry seen twice, or a frecency score), or {@code null} for an unknown key. Short: it is written with the
     * entry's access statistics.
     */
    String describe(String key, long nowMillis);

    /** The whole state, in a format of the policy's own that {@link EvictionPolicy#restore} reads back. */
    byte[] snapshot();
}
