package dev.steadytext.simulator.policy;

/**
 * A cache's bound: a maximum number of entries, or a maximum number of bytes, as the platform's budgets are set.
 *
 * @param bound what is counted
 * @param capacity the maximum, at least 1
 */
public record Budget(Bound bound, long capacity) {

    /** What a budget counts. */
    public enum Bound { ENTRIES, BYTES }

    public Budget {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
    }

    public static Budget entries(long capacity) {
        return new Budget(Bound.ENTRIES, capacity);
    }

    public static Budget bytes(long capacity) {
        return new Budget(Bound.BYTES, capacity);
    }

    /** Whether a cache holding this many entries and bytes is over the budget. */
    public boolean exceededBy(long entries, long bytes) {
        return (bound == Bound.ENTRIES ? entries : bytes) > capacity;
    }

    /** What one entry counts against the budget. */
    public long cost(AccessEvent event) {
        return bound == Bound.ENTRIES ? 1 : event.weightBytes();
    }

    @Override
    public String toString() {
        return bound == Bound.ENTRIES ? capacity + " entries" : capacity + " bytes";
    }
}
