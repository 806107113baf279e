package dev.steadytext.simulator.parser;

import dev.steadytext.simulator.policy.AccessEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The synthetic traces, each deterministic for its seed: Zipf-distributed lookups, Zipf polluted by scans, and
 * loops. Keys of the steady population are numbered from 0; the one-time keys of scans are numbered after them, so
 * they never repeat.
 */
public final class SyntheticTrace implements TraceReader {

    /** Draws the next key number of a trace. */
    private interface KeyStream {
        long next(SplittableRandom random);
    }

    private final String name;
    private final long events;
    private final long seed;
    private final EntryCosts costs;
    private final Supplier<KeyStream> keys;

    private SyntheticTrace(String name, long events, long seed, Supplier<KeyStream> keys) {
        if (events < 1) {
            throw new IllegalArgumentException("events must be at least 1: " + events);
        }
        this.name = name;
        this.events = events;
        this.seed = seed;
        this.costs = new EntryCosts(seed);
        this.keys = keys;
    }

    /** Lookups of {@code keys} keys whose popularity follows Zipf's law with the given skew. */
    public static SyntheticTrace zipf(int keys, double skew, long events, long seed) {
        ZipfDistribution zipf = new ZipfDistribution(keys, skew);
        return new SyntheticTrace("zipf-" + skew, events, seed, () -> zipf::sample);
    }

    /**
     * Zipf lookups (skew 1.0) interrupted every {@code period} accesses by a scan of {@code scanLength} keys never
     * seen before and never seen again: a batch job embedding a fresh corpus through the shared cache.
     */
    public static SyntheticTrace scanPollutedZipf(int keys, long events, int period, int scanLength, long seed) {
        if (period < 1 || scanLength < 1 || scanLength >= period) {
            throw new IllegalArgumentException("need 0 < scanLength < period: " + scanLength + ", " + period);
        }
        ZipfDistribution zipf = new ZipfDistribution(keys, 1.0);
        return new SyntheticTrace("scan-zipf", events, seed, () -> new KeyStream() {
            private long position;
            private long nextScanKey = keys;

            @Override
            public long next(SplittableRandom random) {
                return position++ % period < scanLength ? nextScanKey++ : zipf.sample(random);
            }
        });
    }

    /**
     * A loop over {@code loopLength} keys, in order, again and again, mixed half and half with Zipf lookups (skew
     * 0.8) of other keys: a periodic job that re-reads the same corpus while users work as usual. LRU holds nothing of
     * a loop longer than the cache.
     */
    public static SyntheticTrace loop(int loopLength, int zipfKeys, long events, long seed) {
        ZipfDistribution zipf = new ZipfDistribution(zipfKeys, 0.8);
        return new SyntheticTrace("loop", events, seed, () -> new KeyStream() {
            private long position;

            @Override
            public long next(SplittableRandom random) {
                return random.nextBoolean() ? zipfKeys + position++ % loopLength : zipf.sample(random);
            }
        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Stream<AccessEvent> events() {
        SplittableRandom random = new SplittableRandom(seed);
        KeyStream stream = keys.get();
        Map<Long, AccessEvent> entries = new HashMap<>();
        return Stream.generate(() -> entries.computeIfAbsent(stream.next(random), costs::event)).limit(events);
    }
}
