package dev.steadytext.eviction.internal;

/**
 * GreedyDual-Size-Frequency: an entry's priority is {@code L + count × computeMillis / sizeBytes}, set at its last
 * access, where L is the priority of the last entry evicted (see {@link GdsfPolicy}).
 */
final class GdsfTracker extends HeapTracker {

    static final int FORMAT_VERSION = 1;

    /** The inflation value L: rises to each evicted entry's priority, so that entries not used lately age. */
    private double inflation;

    GdsfTracker() {
        super(GdsfPolicy.NAME, FORMAT_VERSION, "least recompute time saved per byte");
    }

    @Override
    void inserted(HeapNode node, long nowMillis) {
        node.count = 1;
        node.priority = priority(node);
    }

    @Override
    void accessed(HeapNode node, long nowMillis) {
        node.count += 1;
        node.priority = priority(node);
    }

    private double priority(HeapNode node) {
        return inflation + node.count * node.computeMillis / Math.max(1, node.sizeBytes);
    }

    /** L ← H(victim); the maximum, in case the platform evicts out of the proposed order. */
    @Override
    void evicted(HeapNode node) {
        inflation = Math.max(inflation, node.priority);
    }

    @Override
    double score(HeapNode node, long nowMillis) {
        return node.priority;
    }

    @Override
    String describe(HeapNode node, long nowMillis) {
        return Arguments.score("priority", node.priority);
    }

    @Override
    void writeState(SnapshotWriter out) {
        out.number(inflation);
    }

    @Override
    void readState(SnapshotReader in) {
        inflation = in.number();
    }
}
