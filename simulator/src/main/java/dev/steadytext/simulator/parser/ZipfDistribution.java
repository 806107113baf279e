package dev.steadytext.simulator.parser;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Zipf's law over ranks 0 … n−1: rank k is drawn with probability proportional to 1 / (k + 1)^s. Sampling inverts the
 * cumulative distribution by binary search, O(log n), exact and simple; the table costs 8 bytes per key.
 */
public final class ZipfDistribution {

    private final double[] cumulative;

    public ZipfDistribution(int keys, double skew) {
        if (keys < 1) {
            throw new IllegalArgumentException("keys must be at least 1: " + keys);
        }
        if (!(skew >= 0)) {
            throw new IllegalArgumentException("skew must not be negative: " + skew);
        }
        cumulative = new double[keys];
        double sum = 0;
        for (int k = 0; k < keys; k++) {
            sum += 1 / Math.pow(k + 1, skew);
            cumulative[k] = sum;
        }
        for (int k = 0; k < keys; k++) {
            cumulative[k] /= sum;
        }
    }

    public int sample(SplittableRandom random) {
        double u = random.nextDouble();
        int i = Arrays.binarySearch(cumulative, u);
        return Math.min(cumulative.length - 1, i >= 0 ? i : -i - 1);
    }
}
