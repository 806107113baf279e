package dev.steadytext.eviction.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Least frequently used with aging and a history: an entry's count grows by one per access, every count halves after
 * the tracker has seen a period of accesses proportional to the number of entries, and the counts of recently
 * evicted keys are remembered for their return (see {@link LfuPolicy}).
 */
final class LfuTracker extends HeapTracker {

    static final int FORMAT_VERSION = 1;

    private final int agingAccessesPerEntry;
    private final long minimumAgingPeriod;
    private final double historyPerEntry;
    private long accessesSinceAging;
    /** How many times counts have halved: a remembered count is aged by the halvings since it was remembered. */
    private long agings;
    /** The counts of evicted keys, oldest eviction first, for as many keys as {@code historyPerEntry} allows. */
    private final LinkedHashMap<String, Remembered> history = new LinkedHashMap<>();

    /** The count an evicted key had, and when. */
    private record Remembered(double count, long agings) {
    }

    LfuTracker(int agingAccessesPerEntry, long minimumAgingPeriod, double historyPerEntry) {
        super(LfuPolicy.NAME, FORMAT_VERSION, "least frequently used");
        this.agingAccessesPerEntry = agingAccessesPerEntry;
        this.minimumAgingPeriod = minimumAgingPeriod;
        this.historyPerEntry = historyPerEntry;
    }

    /** A key that comes back resumes its aged count: a popular key is not a newcomer because it was evicted once. */
    @Override
    void inserted(HeapNode node, long nowMillis) {
        Remembered remembered = history.remove(node.key);
        node.count = 1 + (remembered == null ? 0 : Math.scalb(remembered.count, -halvings(remembered)));
        node.priority = node.count;
    }

    /** The halvings a remembered count missed, capped where any double has reached zero. */
    private int halvings(Remembered remembered) {
        return (int) Math.min(2_000, agings - remembered.agings);
    }

    /** Remembers the evicted key's count; the oldest memories go once there are more than the limit. */
    @Override
    void evicted(HeapNode node) {
        if (historyPerEntry > 0) {
            history.put(node.key, new Remembered(node.count, agings));
            long limit = (long) Math.ceil(historyPerEntry * entries.size());
            Iterator<String> eldest = history.keySet().iterator();
            while (history.size() > limit && eldest.hasNext()) {
                eldest.next();
                eldest.remove();
            }
        }
    }

    @Override
    void removed(String key) {
        history.remove(key);
    }

    @Override
    void accessed(HeapNode node, long nowMillis) {
        node.count += 1;
        node.priority = node.count;
    }

    /**
     * Halves every count once a period has passed. Halving keeps the order of the entries, so this is one pass over
     * the heap's array, amortised over at least {@code agingAccessesPerEntry} accesses per entry: O(1) per access.
     * The heap is re-established anyway, because counts that underflow to zero would tie.
     */
    @Override
    void afterAccess() {
        if (++accessesSinceAging < Math.max(minimumAgingPeriod, (long) agingAccessesPerEntry * heap.size())) {
            return;
        }
        accessesSinceAging = 0;
        agings++;
        for (int i = 0; i < heap.size(); i++) {
            HeapNode node = heap.at(i);
            node.count *= 0.5;
            node.priority = node.count;
        }
        heap.heapify();
    }

    @Override
    double score(HeapNode node, long nowMillis) {
        return node.count;
    }

    @Override
    String describe(HeapNode node, long nowMillis) {
        return Arguments.score("count", node.count);
    }

    @Override
    void writeState(SnapshotWriter out) {
        out.count(accessesSinceAging).count(agings).count(history.size());
        history.forEach((key, remembered) -> out.key(key).number(remembered.count).count(remembered.agings));
    }

    @Override
    void readState(SnapshotReader in) {
        accessesSinceAging = in.count();
        agings = in.count();
        for (int i = in.itemCount(); i > 0; i--) {
            String key = in.key();
            Remembered remembered = new Remembered(in.number(), in.count());
            if (history.put(key, remembered) != null || remembered.agings > agings) {
                throw new IllegalArgumentException("snapshot is corrupt: history of key " + key);
            }
        }
    }
}
