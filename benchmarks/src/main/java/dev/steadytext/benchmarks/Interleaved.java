package dev.steadytext.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Measures several ways of doing the same work by taking turns, one round each, until a time budget is spent.
 *
 * <p>On a machine shared with other work the load changes from second to second; measuring one mode after the other
 * would hand whichever ran in a quiet moment an advantage. Taking turns spreads the disturbance evenly, which keeps
 * the ratios meaningful even when the absolute numbers are not.
 */
final class Interleaved {

    private final Map<String, Throughput.Round> modes = new LinkedHashMap<>();
    private final Map<String, long[]> totals = new LinkedHashMap<>(); // name -> {items, nanos}

    Interleaved add(String name, Throughput.Round round) {
        modes.put(name, round);
        totals.put(name, new long[2]);
        return this;
    }

    /** One untimed round of each mode, then turns until {@code seconds} have passed; items per second by mode. */
    Map<String, Double> measure(double seconds) throws Exception {
        for (Throughput.Round round : modes.values()) {
            round.run();
        }
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        do {
            for (var mode : modes.entrySet()) {
                long start = System.nanoTime();
                long items = mode.getValue().run();
                long[] total = totals.get(mode.getKey());
                total[0] += items;
                total[1] += System.nanoTime() - start;
            }
        } while (System.nanoTime() < deadline);
        Map<String, Double> perSecond = new LinkedHashMap<>();
        totals.forEach((name, total) -> perSecond.put(name, total[0] / (total[1] / 1e9)));
        return perSecond;
    }
}
