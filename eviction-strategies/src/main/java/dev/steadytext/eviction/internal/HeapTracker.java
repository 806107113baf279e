package dev.steadytext.eviction.internal;

import dev.steadytext.api.eviction.CacheEntry;
import dev.steadytext.api.eviction.EvictionTracker;
import dev.steadytext.api.eviction.Victim;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The common part of the trackers that rank entries by a score (LFU, frecency, GDSF): a map of entries, a min-heap by
 * priority, byte accounting and the snapshot layout. A subclass says how an access changes an entry's priority.
 *
 * <p>Every access gets a sequence number; equal priorities evict the entry accessed longer ago, so the order is total
 * and a restored tracker proposes exactly the same victims.
 */
abstract class HeapTracker implements EvictionTracker {

    final Map<String, HeapNode> entries = new HashMap<>();
    final EntryHeap heap = new EntryHeap();
    private final String policyName;
    private final int formatVersion;
    private final String reason;
    private long weightBytes;
    private long accessSequence;

    /**
     * @param policyName the policy's name, which its snapshots carry
     * @param formatVersion the version of the policy's snapshot format
     * @param reason the phrase every victim of this policy is given
     */
    HeapTracker(String policyName, int formatVersion, String reason) {
        this.policyName = policyName;
        this.formatVersion = formatVersion;
        this.reason = reason;
    }

    /** Sets the count and priority of an entry seen for the first time. */
    abstract void inserted(HeapNode node, long nowMillis);

    /** Updates the count and priority of an entry used again (a hit, or the insert of a key already tracked). */
    abstract void accessed(HeapNode node, long nowMillis);

    /** The score users see in a {@link Victim}: the lowest goes first. */
    abstract double score(HeapNode node, long nowMillis);

    abstract String describe(HeapNode node, long nowMillis);

    /** Called after every access, once the heap is in order again: the place for periodic aging. */
    void afterAccess() {
    }

    /** Called when the platform evicted an entry this tracker proposed. */
    void evicted(HeapNode node) {
    }

    /** Called when the platform reports a key gone for a reason of its own, tracked or not: forget all of it. */
    void removed(String key) {
    }

    /** Writes the tracker's own fields, before the entries. */
    void writeState(SnapshotWriter out) {
    }

    void readState(SnapshotReader in) {
    }

    /** Recomputes a restored entry's priority if the policy derives it from other fields; by default it is kept. */
    void restored(HeapNode node) {
    }

    @Override
    public final void onInsert(CacheEntry entry, long nowMillis) {
        Arguments.entry(entry);
        HeapNode node = entries.get(entry.key());
        boolean known = node != null;
        if (!known) {
            node = new HeapNode(entry.key());
            entries.put(entry.key(), node);
        }
        weightBytes += entry.sizeBytes() - node.sizeBytes;
        node.sizeBytes = entry.sizeBytes();
        node.computeMillis = entry.computeMillis();
        node.lastAccessMillis = nowMillis;
        node.accessSequence = ++accessSequence;
        if (known) {
            accessed(node, nowMillis);
            heap.update(node);
        } else {
            inserted(node, nowMillis);
            heap.add(node);
        }
        afterAccess();
    }

    @Override
    public final void onHit(String key, long nowMillis) {
        HeapNode node = entries.get(Arguments.key(key));
        if (node != null) {
            node.lastAccessMillis = nowMillis;
            node.accessSequence = ++accessSequence;
            accessed(node, nowMillis);
            heap.update(node);
            afterAccess();
        }
    }

    @Override
    public void onMiss(String key, long nowMillis) {
        Arguments.key(key);
    }

    @Override
    public final void onEvict(String key) {
        HeapNode node = forget(key);
        if (node != null) {
            evicted(node);
        }
    }

    @Override
    public final void onRemove(String key) {
        forget(key);
        removed(key);
    }

    private HeapNode forget(String key) {
        HeapNode node = entries.remove(Arguments.key(key));
        if (node != null) {
            heap.remove(node);
            weightBytes -= node.sizeBytes;
        }
        return node;
    }

    @Override
    public final List<Victim> victims(int count, long nowMillis) {
        List<HeapNode> nodes = heap.smallest(Arguments.victimCount(count));
        List<Victim> victims = new ArrayList<>(nodes.size());
        for (HeapNode node : nodes) {
            victims.add(new Victim(node.key, score(node, nowMillis), reason));
        }
        return victims;
    }

    @Override
    public final int size() {
        return entries.size();
    }

    @Override
    public final long weightBytes() {
        return weightBytes;
    }

    @Override
    public final String describe(String key, long nowMillis) {
        HeapNode node = entries.get(Arguments.key(key));
        return node == null ? null : describe(node, nowMillis);
    }

    /** The layout: header, the tracker's own fields, the access sequence, then the entries in heap-array order. */
    @Override
    public final byte[] snapshot() {
        SnapshotWriter out = new SnapshotWriter(policyName, formatVersion);
        writeState(out);
        out.count(accessSequence).count(heap.size());
        for (int i = 0; i < heap.size(); i++) {
            HeapNode node = heap.at(i);
            out.key(node.key).count(node.sizeBytes).count(node.computeMillis).time(node.lastAccessMillis)
                    .count(node.accessSequence).number(node.count).number(node.priority);
        }
        return out.toByteArray();
    }

    /** Fills a new tracker from a snapshot of the same policy; see {@link #snapshot()} for the layout. */
    static <T extends HeapTracker> T restore(T restored, byte[] snapshot) {
        HeapTracker tracker = restored;
        SnapshotReader in = new SnapshotReader(snapshot, tracker.policyName, tracker.formatVersion);
        tracker.readState(in);
        tracker.accessSequence = in.count();
        for (int i = in.itemCount(); i > 0; i--) {
            HeapNode node = new HeapNode(in.key());
            node.sizeBytes = in.count();
            node.computeMillis = in.count();
            node.lastAccessMillis = in.time();
            node.accessSequence = in.count();
            node.count = in.number();
            node.priority = in.number();
            if (tracker.entries.putIfAbsent(node.key, node) != null) {
                throw new IllegalArgumentException("snapshot is corrupt: key " + node.key + " appears twice");
            }
            tracker.restored(node);
            tracker.weightBytes += node.sizeBytes;
            tracker.heap.append(node);
        }
        in.end();
        tracker.heap.heapify();
        return restored;
    }
}
