package dev.steadytext.eviction.internal;

/**
 * Frecency: an entry's score is its access count times {@code exp(-age / τ)}, where age is the time since its last
 * access (see {@link FrecencyPolicy}).
 *
 * <p>The score of every entry falls as time passes, but all by the same factor, so their order only changes when an
 * entry is accessed. The heap therefore ranks by the logarithm of the score at time zero, {@code ln(count) + last / τ},
 * which never changes between accesses: O(log n) per access, no periodic rescoring.
 */
final class FrecencyTracker extends HeapTracker {

    static final int FORMAT_VERSION = 1;

    private final double timeConstantMillis;

    FrecencyTracker(double timeConstantMillis) {
        super(FrecencyPolicy.NAME, FORMAT_VERSION, "lowest frecency (rarely and not recently used)");
        this.timeConstantMillis = timeConstantMillis;
    }

    @Override
    void inserted(HeapNode node, long nowMillis) {
        node.count = 1;
        restored(node);
    }

    @Override
    void accessed(HeapNode node, long nowMillis) {
        node.count += 1;
        restored(node);
    }

    @Override
    void restored(HeapNode node) {
        node.priority = Math.log(node.count) + node.lastAccessMillis / timeConstantMillis;
    }

    @Override
    double score(HeapNode node, long nowMillis) {
        return node.count * Math.exp(-Math.max(0, nowMillis - node.lastAccessMillis) / timeConstantMillis);
    }

    @Override
    String describe(HeapNode node, long nowMillis) {
        return Arguments.score("score", score(node, nowMillis));
    }
}
