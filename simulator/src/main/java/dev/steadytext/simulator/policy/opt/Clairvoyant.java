package dev.steadytext.simulator.policy.opt;

import dev.steadytext.simulator.policy.AccessEvent;
import dev.steadytext.simulator.policy.Budget;
import dev.steadytext.simulator.policy.Policy;
import dev.steadytext.simulator.policy.PolicyStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Belady's MIN [1]: knowing the whole trace, on a miss it caches the entry and then evicts, while over budget, the
 * cached entry (the new one included) whose next use lies furthest in the future.
 *
 * <p>For a budget in entries this is the optimum: no policy hits more often. For a budget in bytes it is not: with
 * entries of different sizes the optimum is NP-hard [2], and furthest-next-use can be beaten (by keeping several small
 * entries instead of one large one). The figures "as a percentage of Belady's" are then relative to this strong
 * heuristic, and a policy may exceed 100%.
 *
 * <p>It records the trace first and replays it in {@link #finished()}: O(log n) per access with a max-heap of next-use
 * positions whose stale members are skipped lazily.
 *
 * <p>[1] L. A. Belady. A Study of Replacement Algorithms for a Virtual-Storage Computer. IBM Systems Journal 5(2),
 * 1966. [2] A. Chrobak, G. J. Woeginger, K. Makino, H. Xu. Caching is hard – even in the fault model. Algorithmica
 * 63, 2012.
 */
public final class Clairvoyant implements Policy {

    private final Budget budget;
    private final PolicyStats stats = new PolicyStats("opt.Clairvoyant");
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<AccessEvent> entries = new ArrayList<>();
    private int[] trace = new int[1024];
    private int length;

    public Clairvoyant(Budget budget) {
        this.budget = budget;
    }

    @Override
    public void record(AccessEvent event) {
        Integer id = ids.get(event.key());
        if (id == null) {
            id = entries.size();
            ids.put(event.key(), id);
            entries.add(event);
        }
        if (length == trace.length) {
            trace = Arrays.copyOf(trace, length * 2);
        }
        trace[length++] = id;
    }

    @Override
    public void finished() {
        int[] nextUse = nextUses();
        boolean[] cached = new boolean[entries.size()];
        // For each cached entry, the heap value naming its next use: a position < length, or length + the current
        // position when it is never used again (unique as well, and larger than any real next use).
        long[] cachedNext = new long[entries.size()];
        LongMaxHeap heap = new LongMaxHeap(Math.max(16, length / 4));
        long usedEntries = 0;
        long usedBytes = 0;
        for (int i = 0; i < length; i++) {
            int id = trace[i];
            AccessEvent event = entries.get(id);
            long next = nextUse[i] >= 0 ? nextUse[i] : (long) length + i;
            if (cached[id]) {
                stats.recordHit(event);
            } else {
                stats.recordMiss(event);
                cached[id] = true;
                usedEntries++;
                usedBytes += event.weightBytes();
            }
            cachedNext[id] = next;
            heap.push(next);
            while (budget.exceededBy(usedEntries, usedBytes)) {
                long furthest = heap.pop();
                int victim = trace[(int) (furthest < length ? furthest : furthest - length)];
                if (!cached[victim] || cachedNext[victim] != furthest) {
                    continue; // stale: the entry was used again since, or already evicted
                }
                cached[victim] = false;
                usedEntries--;
                usedBytes -= entries.get(victim).weightBytes();
                stats.recordEviction(); // the new entry itself when it is the one used furthest ahead: not cached
            }
        }
    }

    /** For each position, the position of the next access to the same key, or -1. */
    private int[] nextUses() {
        int[] next = new int[length];
        int[] last = new int[entries.size()];
        Arrays.fill(last, -1);
        for (int i = length - 1; i >= 0; i--) {
            next[i] = last[trace[i]];
            last[trace[i]] = i;
        }
        return next;
    }

    @Override
    public PolicyStats stats() {
        return stats;
    }

    /** A binary max-heap of longs, growing as needed. */
    private static final class LongMaxHeap {
        private long[] values;
        private int size;

        LongMaxHeap(int capacity) {
            values = new long[capacity];
        }

        void push(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            int i = size++;
            while (i > 0 && values[(i - 1) >>> 1] < value) {
                values[i] = values[(i - 1) >>> 1];
                i = (i - 1) >>> 1;
            }
            values[i] = value;
        }

        long pop() {
            long top = values[0];
            long last = values[--size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && values[child + 1] > values[child]) {
                    child++;
                }
                if (values[child] <= last) {
                    break;
                }
                values[i] = values[child];
                i = child;
            }
            values[i] = last;
            return top;
        }
    }
}
