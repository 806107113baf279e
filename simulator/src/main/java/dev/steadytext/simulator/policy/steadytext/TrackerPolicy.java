package dev.steadytext.simulator.policy.steadytext;

import dev.steadytext.api.eviction.CacheEntry;
import dev.steadytext.api.eviction.EvictionPolicy;
import dev.steadytext.api.eviction.EvictionTracker;
import dev.steadytext.api.eviction.Victim;
import dev.steadytext.simulator.policy.AccessEvent;
import dev.steadytext.simulator.policy.Budget;
import dev.steadytext.simulator.policy.Policy;
import dev.steadytext.simulator.policy.PolicyStats;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a real {@link EvictionPolicy} (one of ours, or a plug-in's) the way the platform drives it: every lookup is
 * reported to its tracker at a virtual time, a miss is followed by the entry's insert, and while the cache is over
 * its budget the tracker's first victim is evicted and reported back.
 *
 * <p>The adapter keeps the truth about what is cached itself, so a tracker that proposes an entry that is not cached,
 * or whose counters disagree with what was inserted and evicted, fails the run instead of skewing the figures.
 */
public final class TrackerPolicy implements Policy {

    private final EvictionTracker tracker;
    private final Budget budget;
    private final long accessIntervalMillis;
    private final PolicyStats stats;
    private final Map<String, AccessEvent> resident = new HashMap<>();
    private long residentBytes;
    private long now;

    /**
     * @param accessIntervalMillis the virtual time between two accesses, which time-based policies (frecency) see
     */
    public TrackerPolicy(String name, EvictionPolicy policy, Budget budget, long accessIntervalMillis) {
        this.tracker = policy.newTracker();
        this.budget = budget;
        this.accessIntervalMillis = accessIntervalMillis;
        this.stats = new PolicyStats(name);
    }

    @Override
    public void record(AccessEvent event) {
        now += accessIntervalMillis;
        if (resident.containsKey(event.key())) {
            stats.recordHit(event);
            tracker.onHit(event.key(), now);
            return;
        }
        stats.recordMiss(event);
        tracker.onMiss(event.key(), now);
        tracker.onInsert(new CacheEntry(event.key(), event.weightBytes(), event.penaltyMillis()), now);
        resident.put(event.key(), event);
        residentBytes += event.weightBytes();
        while (budget.exceededBy(resident.size(), residentBytes)) {
            evictFirstVictim();
        }
    }

    private void evictFirstVictim() {
        List<Victim> victims = tracker.victims(1, now);
        if (victims.isEmpty()) {
            throw new IllegalStateException(stats.name() + " proposed no victim for a cache over its budget");
        }
        String key = victims.get(0).key();
        AccessEvent evicted = resident.remove(key);
        if (evicted == null) {
            throw new IllegalStateException(stats.name() + " proposed " + key + ", which is not cached");
        }
        residentBytes -= evicted.weightBytes();
        tracker.onEvict(key);
        stats.recordEviction();
    }

    /** Cross-checks the tracker's counters against the adapter's own. */
    @Override
    public void finished() {
        if (tracker.size() != resident.size() || tracker.weightBytes() != residentBytes) {
            throw new IllegalStateException(stats.name() + " counts " + tracker.size() + " entries and "
                    + tracker.weightBytes() + " bytes; the cache holds " + resident.size() + " and " + residentBytes);
        }
    }

    @Override
    public PolicyStats stats() {
        return stats;
    }
}
