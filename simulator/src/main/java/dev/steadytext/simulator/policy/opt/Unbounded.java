package dev.steadytext.simulator.policy.opt;

import dev.steadytext.simulator.policy.AccessEvent;
import dev.steadytext.simulator.policy.Policy;
import dev.steadytext.simulator.policy.PolicyStats;
import java.util.HashSet;
import java.util.Set;

/** A cache that never evicts: its only misses are compulsory (first sightings), the ceiling of every policy. */
public final class Unbounded implements Policy {

    private final Set<String> seen = new HashSet<>();
    private final PolicyStats stats = new PolicyStats("opt.Unbounded");

    @Override
    public void record(AccessEvent event) {
        if (seen.add(event.key())) {
            stats.recordMiss(event);
        } else {
            stats.recordHit(event);
        }
    }

    @Override
    public PolicyStats stats() {
        return stats;
    }
}
