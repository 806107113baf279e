package dev.steadytext.eviction.internal;

import dev.steadytext.api.eviction.EvictionPolicy;
import dev.steadytext.api.eviction.EvictionTracker;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Least frequently used, with aging and a history: evicts the entry used least often, where old uses count less and
 * less.
 *
 * <p>Aging. Without it, LFU keeps yesterday's favourites forever: an entry used a thousand times last week outranks
 * everything that became popular since. So every count halves periodically. The period is measured in accesses, not
 * in time: after {@code agingAccessesPerEntry} accesses per tracked entry (at least {@code minimumAgingPeriod}), every
 * count halves. Counting accesses makes the memory as long in a quiet hour as in a busy one and ties it to the cache's
 * size, like TinyLFU's reset after a sample proportional to the cache's size [1]. Halving in one pass keeps the order
 * of the entries, so the cost is O(1) per access, amortised.
 *
 * <p>History. A new entry starts at one, below every entry used again lately, so it is the next victim unless it is
 * asked for again soon. That makes LFU resist scans, but a popular key evicted once would start from one each time it
 * returns. So the tracker remembers the counts of the most recently evicted keys, as many as {@code historyPerEntry}
 * times the entries it tracks (like ARC's ghost lists, and TinyLFU's sketch of keys not in the cache [1]); a key that
 * returns resumes its count, aged by the halvings it missed, plus one. The history costs about 100 bytes of memory
 * and 45 bytes of snapshot per remembered key.
 *
 * <p>The defaults (30 accesses per entry, a history as long as the cache) were chosen with the simulator; the
 * comparison is in docs/simulator/README.md.
 *
 * <p>[1] G. Einziger, R. Friedman, B. Manes. TinyLFU: A Highly Efficient Cache Admission Policy. ACM Transactions on
 * Storage 13(4), 2017.
 */
@Component(service = EvictionPolicy.class, property = EvictionPolicy.NAME_PROPERTY + "=" + LfuPolicy.NAME,
        configurationPid = "dev.steadytext.eviction.lfu", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = LfuPolicy.Config.class)
public final class LfuPolicy implements EvictionPolicy {

    static final String NAME = "lfu";
    static final int DEFAULT_AGING_ACCESSES_PER_ENTRY = 30;
    static final long DEFAULT_MINIMUM_AGING_PERIOD = 1_000;
    static final double DEFAULT_HISTORY_PER_ENTRY = 1;

    /** LFU's aging and history. */
    @ObjectClassDefinition(name = "SteadyText LFU eviction")
    @interface Config {
        @AttributeDefinition(description = "Counts halve after this many accesses per tracked entry.", min = "1")
        int agingAccessesPerEntry() default DEFAULT_AGING_ACCESSES_PER_ENTRY;

        @AttributeDefinition(description = "Counts never halve more often than once per this many accesses.", min = "1")
        long minimumAgingPeriod() default DEFAULT_MINIMUM_AGING_PERIOD;

        @AttributeDefinition(description = "Evicted keys whose counts are remembered, per tracked entry (0: none).",
                min = "0")
        double historyPerEntry() default DEFAULT_HISTORY_PER_ENTRY;
    }

    private volatile int agingAccessesPerEntry = DEFAULT_AGING_ACCESSES_PER_ENTRY;
    private volatile long minimumAgingPeriod = DEFAULT_MINIMUM_AGING_PERIOD;
    private volatile double historyPerEntry = DEFAULT_HISTORY_PER_ENTRY;

    @Activate
    void activate(Config config) {
        if (config.agingAccessesPerEntry() < 1) {
            throw new IllegalArgumentException("agingAccessesPerEntry must be at least 1: " + config.agingAccessesPerEntry());
        }
        if (config.minimumAgingPeriod() < 1) {
            throw new IllegalArgumentException("minimumAgingPeriod must be at least 1: " + config.minimumAgingPeriod());
        }
        if (!(config.historyPerEntry() >= 0) || Double.isInfinite(config.historyPerEntry())) {
            throw new IllegalArgumentException("historyPerEntry must be 0 or more: " + config.historyPerEntry());
        }
        agingAccessesPerEntry = config.agingAccessesPerEntry();
        minimumAgingPeriod = config.minimumAgingPeriod();
        historyPerEntry = config.historyPerEntry();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Least frequently used, with aging: keeps what is used often lately, evicts the rarely used.";
    }

    @Override
    public EvictionTracker newTracker() {
        return new LfuTracker(agingAccessesPerEntry, minimumAgingPeriod, historyPerEntry);
    }

    @Override
    public EvictionTracker restore(byte[] snapshot) {
        return HeapTracker.restore(new LfuTracker(agingAccessesPerEntry, minimumAgingPeriod, historyPerEntry), snapshot);
    }
}
