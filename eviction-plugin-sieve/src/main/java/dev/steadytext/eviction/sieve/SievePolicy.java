package dev.steadytext.eviction.sieve;

import dev.steadytext.api.eviction.EvictionPolicy;
import dev.steadytext.api.eviction.EvictionTracker;
import org.osgi.service.component.annotations.Component;

/**
 * SIEVE [1], an example eviction policy plug-in: a FIFO queue with one "visited" bit per entry and a hand that sweeps
 * from the oldest entry to the newest, clearing bits and evicting the first entry not visited since the hand last
 * passed it.
 *
 * <p>This bundle shows what a plug-in needs: one DS component that registers an {@link EvictionPolicy} with the
 * {@value EvictionPolicy#NAME_PROPERTY} property, built against the SteadyText API alone. Copy the bundle into the
 * platform's {@code plugins/} directory and {@code steadytext_config_set('cache_eviction_policy', 'sieve')} selects it;
 * delete it and the policy disappears.
 *
 * <p>[1] Y. Zhang, J. Yang, Y. Yue, Y. Vigfusson, K. V. Rashmi. SIEVE is Simpler than LRU: an Efficient Turn-Key
 * Eviction Algorithm for Web Caches. 21st USENIX Symposium on Networked Systems Design and Implementation (NSDI '24),
 * 2024.
 */
@Component(service = EvictionPolicy.class, property = EvictionPolicy.NAME_PROPERTY + "=" + SievePolicy.NAME)
public final class SievePolicy implements EvictionPolicy {

    static final String NAME = "sieve";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "SIEVE (plug-in example): a FIFO queue whose sweeping hand spares the entries used since it last passed.";
    }

    @Override
    public EvictionTracker newTracker() {
        return new SieveTracker();
    }

    @Override
    public EvictionTracker restore(byte[] snapshot) {
        return SieveTracker.restore(snapshot);
    }
}
