package dev.steadytext.eviction.internal;

import dev.steadytext.api.eviction.CacheEntry;
import dev.steadytext.api.eviction.EvictionTracker;
import dev.steadytext.api.eviction.Victim;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adaptive Replacement Cache, measured in bytes (see {@link ArcPolicy} for the design and the paper).
 *
 * <p>The pseudocode's cases, as the platform's calls deliver them: a request for x is either {@link #onHit} (case I)
 * or {@link #onMiss} followed by {@link #onInsert} (cases II, III and IV); REPLACE is split into {@link #victims},
 * which only chooses, and {@link #onEvict}, which moves the chosen page to its ghost list. The directory bounds of
 * case IV are restored after each eviction ({@link #trimGhosts}).
 */
final class ArcTracker implements EvictionTracker {

    static final int FORMAT_VERSION = 1;
    static final byte T1 = 1;
    static final byte T2 = 2;
    static final byte B1 = 3;
    static final byte B2 = 4;

    private final Map<String, ListNode> nodes = new HashMap<>();
    private final RecencyList t1 = new RecencyList();
    private final RecencyList t2 = new RecencyList();
    private final RecencyList b1 = new RecencyList();
    private final RecencyList b2 = new RecencyList();
    /** The adaptive target p: how many weight units T1 should hold, 0 ≤ p ≤ c. */
    private double p;
    /** The cache size c in weight units, learned: the resident weight when the platform last asked for victims. */
    private long capacity;
    /** Whether the last miss was a ghost hit in B2: REPLACE's tie rule ({@code x ∈ B2 and |T1| = p}). */
    private boolean lastMissInB2;

    /**
     * An entry's weight in ARC's arithmetic: its size plus one, so that every entry counts (even an empty one) and a
     * cache whose entries all have one size behaves exactly like the paper's cache of c pages.
     */
    private static long weight(ListNode node) {
        return node.sizeBytes + 1;
    }

    private static long weight(RecencyList list) {
        return list.weightBytes() + list.size();
    }

    /** c: the learned capacity, or the resident weight while the cache grows past it. */
    private long c() {
        return Math.max(capacity, weight(t1) + weight(t2));
    }

    @Override
    public void onHit(String key, long nowMillis) {
        ListNode x = nodes.get(Arguments.key(key));
        if (x != null && (x.list == T1 || x.list == T2)) {
            // Case I: x ∈ T1 ∪ T2 (a hit). Move x to the MRU position in T2.
            x.lastAccessMillis = nowMillis;
            listOf(x).remove(x);
            x.list = T2;
            t2.addMostRecent(x);
        }
    }

    @Override
    public void onMiss(String key, long nowMillis) {
        ListNode x = nodes.get(Arguments.key(key));
        if (x == null) {
            // Case IV: x ∉ L1 ∪ L2 (a miss). Its insert puts x at the MRU position in T1.
            lastMissInB2 = false;
        } else if (x.list == B1 || x.list == B2) {
            adapt(x);
        }
    }

    /**
     * Case II: x ∈ B1, adapt p = min{c, p + max{|B2|/|B1|, 1}}. Case III: x ∈ B2, adapt p = max{0, p − max{|B1|/|B2|,
     * 1}}. In weight units, the step is multiplied by x's weight: a ghost hit for a large entry says T1 (or T2) was
     * short by that many bytes. Counted once per ghost, whether the platform reports the miss, the insert, or both.
     */
    private void adapt(ListNode x) {
        lastMissInB2 = x.list == B2;
        if (x.ghostHitCounted) {
            return;
        }
        x.ghostHitCounted = true;
        if (x.list == B1) {
            double ratio = weight(b2) > weight(b1) ? (double) weight(b2) / weight(b1) : 1;
            p = Math.min(c(), p + ratio * weight(x));
        } else {
            double ratio = weight(b1) > weight(b2) ? (double) weight(b1) / weight(b2) : 1;
            p = Math.max(0, p - ratio * weight(x));
        }
    }

    @Override
    public void onInsert(CacheEntry entry, long nowMillis) {
        Arguments.entry(entry);
        ListNode x = nodes.get(entry.key());
        if (x == null) {
            // Case IV: put x at the MRU position in T1.
            lastMissInB2 = false;
            x = new ListNode(entry.key());
            x.sizeBytes = entry.sizeBytes();
            x.list = T1;
            nodes.put(x.key, x);
            t1.addMostRecent(x);
        } else {
            if (x.list == B1 || x.list == B2) {
                // Cases II and III: x was a ghost; adapt p (unless its miss did) and move x to the MRU position in T2.
                adapt(x);
            }
            listOf(x).remove(x);
            x.sizeBytes = entry.sizeBytes();
            x.ghostHitCounted = false;
            x.list = T2;
            t2.addMostRecent(x);
        }
        x.computeMillis = entry.computeMillis();
        x.lastAccessMillis = nowMillis;
    }

    /**
     * REPLACE(x, p), repeated without moving anything: if |T1| ≥ 1 and ((x ∈ B2 and |T1| = p) or |T1| > p), the
     * victim is the LRU page of T1, else the LRU page of T2. Each pick shrinks the T1 that the next pick compares.
     *
     * <p>The cache size it is asked at is c: the platform asks when the kind is at or over its budget.
     */
    @Override
    public List<Victim> victims(int count, long nowMillis) {
        List<Victim> victims = new ArrayList<>(Math.min(Arguments.victimCount(count), t1.size() + t2.size()));
        if (count > 0 && t1.size() + t2.size() > 0) {
            capacity = weight(t1) + weight(t2);
        }
        long t1Weight = weight(t1);
        ListNode fromT1 = t1.leastRecent();
        ListNode fromT2 = t2.leastRecent();
        while (victims.size() < count && (fromT1 != null || fromT2 != null)) {
            boolean replaceInT1 = fromT1 != null
                    && (fromT2 == null || t1Weight > p || lastMissInB2 && t1Weight == p);
            if (replaceInT1) {
                victims.add(new Victim(fromT1.key, victims.size(), "ARC T1: used once lately, least recent"));
                t1Weight -= weight(fromT1);
                fromT1 = t1.moreRecent(fromT1);
            } else {
                victims.add(new Victim(fromT2.key, victims.size(), "ARC T2: used again lately, least recent"));
                fromT2 = t2.moreRecent(fromT2);
            }
        }
        return victims;
    }

    /** The second half of REPLACE: move the LRU page of T1 to the MRU position of B1 (or of T2 to B2). */
    @Override
    public void onEvict(String key) {
        ListNode x = nodes.get(Arguments.key(key));
        if (x == null || x.list == B1 || x.list == B2) {
            return;
        }
        RecencyList ghosts = x.list == T1 ? b1 : b2;
        listOf(x).remove(x);
        x.list = x.list == T1 ? B1 : B2;
        x.ghostHitCounted = false;
        ghosts.addMostRecent(x);
        trimGhosts();
    }

    /**
     * Case IV's directory bounds: |T1| + |B1| ≤ c (delete the LRU page of B1) and |T1| + |T2| + |B1| + |B2| ≤ 2c
     * (delete the LRU page of B2). A page evicted from a T1 that fills c alone is thereby forgotten at once, as in the
     * paper's "delete LRU page in T1".
     */
    private void trimGhosts() {
        long c = c();
        while (weight(t1) + weight(b1) > c && b1.size() > 0) {
            forget(b1.leastRecent());
        }
        while (weight(t1) + weight(t2) + weight(b1) + weight(b2) > 2 * c && b1.size() + b2.size() > 0) {
            forget(b2.size() > 0 ? b2.leastRecent() : b1.leastRecent());
        }
        p = Math.min(p, c);
    }

    @Override
    public void onRemove(String key) {
        ListNode x = nodes.get(Arguments.key(key));
        if (x != null) {
            forget(x);
        }
    }

    private void forget(ListNode x) {
        listOf(x).remove(x);
        nodes.remove(x.key);
    }

    private RecencyList listOf(ListNode x) {
        return switch (x.list) {
            case T1 -> t1;
            case T2 -> t2;
            case B1 -> b1;
            case B2 -> b2;
            default -> throw new IllegalStateException("node in no list: " + x.key);
        };
    }

    @Override
    public int size() {
        return t1.size() + t2.size();
    }

    @Override
    public long weightBytes() {
        return t1.weightBytes() + t2.weightBytes();
    }

    @Override
    public String describe(String key, long nowMillis) {
        ListNode x = nodes.get(Arguments.key(key));
        return x == null || x.list == B1 || x.list == B2 ? null : x.list == T1 ? "T1" : "T2";
    }

    /** The target p in weight units (size + 1 per entry), for tests. */
    double target() {
        return p;
    }

    /** The number of ghosts in B1 and B2, for tests. */
    int ghosts(byte list) {
        return list == B1 ? b1.size() : b2.size();
    }

    @Override
    public byte[] snapshot() {
        SnapshotWriter out = new SnapshotWriter(ArcPolicy.NAME, FORMAT_VERSION)
                .number(p).count(capacity).flag(lastMissInB2);
        for (RecencyList list : List.of(t1, t2, b1, b2)) {
            out.count(list.size());
            for (ListNode n = list.leastRecent(); n != null; n = list.moreRecent(n)) {
                ListNodes.write(out, n);
                out.flag(n.ghostHitCounted);
            }
        }
        return out.toByteArray();
    }

    static ArcTracker restore(byte[] snapshot) {
        SnapshotReader in = new SnapshotReader(snapshot, ArcPolicy.NAME, FORMAT_VERSION);
        ArcTracker tracker = new ArcTracker();
        tracker.p = in.number();
        tracker.capacity = in.count();
        tracker.lastMissInB2 = in.flag();
        if (!(tracker.p >= 0) || Double.isInfinite(tracker.p)) {
            throw new IllegalArgumentException("snapshot is corrupt: ARC target " + tracker.p);
        }
        byte list = T1;
        for (RecencyList target : List.of(tracker.t1, tracker.t2, tracker.b1, tracker.b2)) {
            for (int i = in.itemCount(); i > 0; i--) {
                ListNode node = ListNodes.read(in, tracker.nodes);
                node.ghostHitCounted = in.flag();
                node.list = list;
                target.addMostRecent(node);
            }
            list++;
        }
        in.end();
        return tracker;
    }
}
