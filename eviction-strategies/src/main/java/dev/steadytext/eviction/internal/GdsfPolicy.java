package dev.steadytext.eviction.internal;

import dev.steadytext.api.eviction.EvictionPolicy;
import dev.steadytext.api.eviction.EvictionTracker;
import org.osgi.service.component.annotations.Component;

/**
 * GreedyDual-Size-Frequency, the cost-aware policy: evicts the entry that saves the least compute time per byte it
 * occupies, weighted by how often it is used [1].
 *
 * <p>Each entry's priority is {@code H = L + count × cost / size}, with the entry's compute time as cost and its
 * stored size in bytes. The inflation value L starts at zero and becomes the priority of each evicted entry, so an
 * entry's priority is fixed at its last access while L rises under it: entries not used for a while fall to the
 * bottom however costly they were (the GreedyDual aging [2]). Keeping a 30-second generation of 2 KB over a 5 ms
 * embedding of 1.6 KB is exactly what this ranking does. It is meant for budgets where the time lost to misses matters
 * more than their number. Entries with no recorded cost rank by recency alone (equal priorities evict the older
 * access).
 *
 * <p>[1] L. Cherkasova. Improving WWW Proxies Performance with Greedy-Dual-Size-Frequency Caching Policy. HP Labs
 * report HPL-98-69R1, 1998. [2] P. Cao, S. Irani. Cost-Aware WWW Proxy Caching Algorithms. USENIX Symposium on
 * Internet Technologies and Systems, 1997.
 */
@Component(service = EvictionPolicy.class, property = EvictionPolicy.NAME_PROPERTY + "=" + GdsfPolicy.NAME)
public final class GdsfPolicy implements EvictionPolicy {

    static final String NAME = "gdsf";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Cost-aware (GreedyDual-Size-Frequency): keeps what saves the most compute time per byte, evicts cheap, "
                + "large and rarely used entries.";
    }

    @Override
    public EvictionTracker newTracker() {
        return new GdsfTracker();
    }

    @Override
    public EvictionTracker restore(byte[] snapshot) {
        return HeapTracker.restore(new GdsfTracker(), snapshot);
    }
}
