package dev.steadytext.simulator.policy.product;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.steadytext.simulator.policy.AccessEvent;
import dev.steadytext.simulator.policy.Budget;
import dev.steadytext.simulator.policy.Policy;
import dev.steadytext.simulator.policy.PolicyStats;

/**
 * Caffeine's own cache (W-TinyLFU with its adaptive window), the industrial reference.
 *
 * <p>Run deterministically on the calling thread: maintenance (evictions, the sketch, the hill climber) runs through
 * {@code executor(Runnable::run)} after each write. Hits are counted here, not by Caffeine's statistics, so that every
 * policy is counted the same way; evictions are counted by a synchronous eviction listener. Caffeine adds a little
 * randomness of its own to admission (a defence against hash flooding), so its last digit can vary between runs.
 */
public final class CaffeinePolicy implements Policy {

    private final PolicyStats stats = new PolicyStats("product.Caffeine");
    private final Cache<String, AccessEvent> cache;

    public CaffeinePolicy(Budget budget) {
        Caffeine<String, AccessEvent> builder = Caffeine.newBuilder().executor(Runnable::run)
                .<String, AccessEvent>evictionListener((key, value, cause) -> {
                    if (cause.wasEvicted()) {
                        stats.recordEviction();
                    }
                });
        cache = switch (budget.bound()) {
            case ENTRIES -> builder.maximumSize(budget.capacity()).build();
            case BYTES -> builder.maximumWeight(budget.capacity())
                    .weigher((String key, AccessEvent event) -> (int) Math.min(Integer.MAX_VALUE, event.weightBytes()))
                    .build();
        };
    }

    @Override
    public void record(AccessEvent event) {
        if (cache.getIfPresent(event.key()) != null) {
            stats.recordHit(event);
        } else {
            stats.recordMiss(event);
            cache.put(event.key(), event);
        }
    }

    @Override
    public void finished() {
        cache.cleanUp();
    }

    @Override
    public PolicyStats stats() {
        return stats;
    }
}
