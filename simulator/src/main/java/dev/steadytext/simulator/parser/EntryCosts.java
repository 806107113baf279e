package dev.steadytext.simulator.parser;

import dev.steadytext.simulator.policy.AccessEvent;
import java.util.SplittableRandom;

/**
 * Gives each synthetic key a platform-like entry: an anonymised key hash, a size and a compute time, the same for a
 * key every time (derived from the key's number and a seed).
 *
 * <p>Half of the keys are embeddings: 384 floats, 1,536 bytes plus a row's overhead, about 1.6 KB, computed in 2 to 8
 * ms. The other half are generations: 200 bytes to 4 KB of text, log-uniform, computed in 100 ms to 30 s; longer
 * answers tend to take longer (half of the log-scale position comes from the size, half is noise), as a model's
 * decoding time grows with the tokens it writes.
 */
public final class EntryCosts {

    private static final long EMBEDDING_BYTES = 1_600;
    private static final double MIN_GENERATION_BYTES = 200;
    private static final double MAX_GENERATION_BYTES = 4_096;
    private static final double MIN_GENERATION_MILLIS = 100;
    private static final double MAX_GENERATION_MILLIS = 30_000;

    private final long seed;

    public EntryCosts(long seed) {
        this.seed = seed;
    }

    public AccessEvent event(long keyNumber) {
        long hash = mix(keyNumber ^ mix(seed));
        SplittableRandom random = new SplittableRandom(hash);
        String key = String.format("%016x", hash);
        if (random.nextBoolean()) {
            return new AccessEvent(key, EMBEDDING_BYTES, 2 + random.nextInt(7));
        }
        double sizePosition = random.nextDouble();
        double costPosition = (sizePosition + random.nextDouble()) / 2;
        long size = Math.round(logScale(MIN_GENERATION_BYTES, MAX_GENERATION_BYTES, sizePosition));
        long millis = Math.round(logScale(MIN_GENERATION_MILLIS, MAX_GENERATION_MILLIS, costPosition));
        return new AccessEvent(key, size, millis);
    }

    private static double logScale(double min, double max, double position) {
        return min * Math.pow(max / min, position);
    }

    /** SplitMix64's finaliser: spreads key numbers over 64 bits, as hashes of real keys are. */
    static long mix(long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
