package dev.steadytext.benchmarks;

import java.util.Arrays;

/** Per-call latencies and their percentiles (nearest rank). */
final class Latencies {

    private final long[] nanos;
    private int size;

    Latencies(int capacity) {
        nanos = new long[capacity];
    }

    void add(long value) {
        nanos[size++] = value;
    }

    int size() {
        return size;
    }

    /** The {@code p}-th percentile in milliseconds, {@code p} in (0, 100]. */
    double percentileMillis(double p) {
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
