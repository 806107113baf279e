package dev.steadytext.simulator.jmh;

import dev.steadytext.api.eviction.CacheEntry;
import dev.steadytext.api.eviction.EvictionPolicy;
import dev.steadytext.api.eviction.EvictionTracker;
import dev.steadytext.eviction.internal.ArcPolicy;
import dev.steadytext.eviction.internal.FrecencyPolicy;
import dev.steadytext.eviction.internal.GdsfPolicy;
import dev.steadytext.eviction.internal.LfuPolicy;
import dev.steadytext.eviction.internal.LruPolicy;
import dev.steadytext.eviction.sieve.SievePolicy;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The cost of one access in each policy's tracker, in a cache of 100,000 entries fed Zipf-distributed lookups (skew
 * 0.8 over 500,000 keys): a hit is {@code onHit}; a miss is {@code onMiss}, {@code onInsert}, {@code victims(1)} and
 * {@code onEvict}, as the platform makes them. The {@code baseline} row does only the harness's own bookkeeping (a
 * hash set of cached keys and a FIFO queue), which every other row includes.
 *
 * <p>Run: {@code java -cp simulator/target/steadytext-simulator.jar org.openjdk.jmh.Main PolicyOverheadBenchmark}
 * (about 5 s per policy), or as the last part of the simulator's one command.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class PolicyOverheadBenchmark {

    private static final int CAPACITY = 100_000;
    private static final int KEYS = 500_000;
    private static final int TRACE_LENGTH = 1 << 21;

    @Param({"baseline", "lru", "lfu", "frecency", "arc", "gdsf", "sieve"})
    String policy;

    private String[] trace;
    private final Set<String> cached = new HashSet<>();
    private final ArrayDeque<String> fifo = new ArrayDeque<>();
    private EvictionTracker tracker;
    private int position;
    private long now;

    @Setup
    public void setUp() {
        // Keys shaped like the platform's: 64 hex digits of a hash.
        HexFormat hex = HexFormat.of();
        String[] keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            long h = i * 0x9E3779B97F4A7C15L;
            keys[i] = hex.toHexDigits(h) + hex.toHexDigits(~h) + hex.toHexDigits(h ^ 0x5555) + hex.toHexDigits(i);
        }
        double[] cumulative = new double[KEYS];
        double sum = 0;
        for (int k = 0; k < KEYS; k++) {
            sum += Math.pow(k + 1, -0.8);
            cumulative[k] = sum;
        }
        SplittableRandom random = new SplittableRandom(42);
        trace = new String[TRACE_LENGTH];
        for (int i = 0; i < TRACE_LENGTH; i++) {
            int rank = Arrays.binarySearch(cumulative, random.nextDouble() * sum);
            trace[i] = keys[Math.min(KEYS - 1, rank >= 0 ? rank : -rank - 1)];
        }
        tracker = policy.equals("baseline") ? null : policy(policy).newTracker();
        for (int i = 0; i < TRACE_LENGTH; i++) {
            access(); // fill the cache and reach the steady state before measuring
        }
    }

    private static EvictionPolicy policy(String name) {
        return switch (name) {
            case "lru" -> new LruPolicy();
            case "lfu" -> new LfuPolicy();
            case "frecency" -> new FrecencyPolicy();
            case "arc" -> new ArcPolicy();
            case "gdsf" -> new GdsfPolicy();
            case "sieve" -> new SievePolicy();
            default -> throw new IllegalArgumentException("unknown policy " + name);
        };
    }

    @Benchmark
    public int access() {
        String key = trace[position];
        position = (position + 1) & (TRACE_LENGTH - 1);
        now += 50;
        if (cached.contains(key)) {
            if (tracker != null) {
                tracker.onHit(key, now);
            }
            return 1;
        }
        cached.add(key);
        if (tracker == null) {
            fifo.add(key);
            if (cached.size() > CAPACITY) {
                cached.remove(fifo.poll());
            }
            return 0;
        }
        tracker.onMiss(key, now);
        tracker.onInsert(new CacheEntry(key, 1_600, 5), now);
        if (cached.size() > CAPACITY) {
            String victim = tracker.victims(1, now).get(0).key();
            cached.remove(victim);
            tracker.onEvict(victim);
        }
        return 0;
    }

    /** Runs this benchmark for every policy with its annotated settings and prints JMH's table. */
    public static void runAll() throws RunnerException {
        new Runner(new OptionsBuilder().include(PolicyOverheadBenchmark.class.getName()).build()).run();
    }
}
