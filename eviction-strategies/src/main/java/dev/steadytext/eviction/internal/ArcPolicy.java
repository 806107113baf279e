package dev.steadytext.eviction.internal;

import dev.steadytext.api.eviction.EvictionPolicy;
import dev.steadytext.api.eviction.EvictionTracker;
import org.osgi.service.component.annotations.Component;

/**
 * Adaptive Replacement Cache (ARC) [1]: balances recency and frequency by itself, and resists scans.
 *
 * <p>The design. Resident entries sit in two LRU lists: T1 holds entries used once lately, T2 entries used at least
 * twice. Two ghost lists remember the keys (not the results) evicted from each: B1 from T1, B2 from T2. A target p
 * says how much of the cache T1 should have. A miss on a key remembered in B1 means T1 was too small, so p grows; a
 * miss on a key in B2 means T2 was too small, so p shrinks. The victim is T1's least recent entry while T1 is over
 * its target, otherwise T2's. A scan of keys used once only passes through T1 and leaves T2 alone.
 *
 * <p>Adapting the paper to the platform. The paper's cache holds c pages and ARC itself evicts on each miss; here the
 * platform decides when to evict (budgets in entries and in bytes are its business) and the tracker only ranks
 * victims. So:
 * <ol>
 *   <li>c is learned: it is the resident weight at the moment the platform last asked for victims, that is the
 *       kind's budget as the platform enforces it (or the resident weight while the cache grows past that). Budget
 *       changes are followed at the next eviction, and no configuration has to repeat the budget here.
 *   <li>Everything is measured in bytes, so ARC stays sound when the budget is in bytes: |T1|, |B1|, p and c are
 *       weights, an entry weighing its size plus one (so empty entries count, and a cache of equal-sized entries is
 *       exactly the paper's cache of pages); a ghost hit moves p by the paper's step times the entry's weight.
 *   <li>The platform stores an entry before it evicts for it, so REPLACE compares a T1 that already holds the new
 *       entry; the new entry is never a victim unless T1 holds nothing else, which is the paper's behaviour up to
 *       one entry of p.
 * </ol>
 *
 * <p>[1] N. Megiddo, D. S. Modha. ARC: A Self-Tuning, Low Overhead Replacement Cache. 2nd USENIX Conference on File
 * and Storage Technologies (FAST '03), 2003, Fig. 4.
 */
@Component(service = EvictionPolicy.class, property = EvictionPolicy.NAME_PROPERTY + "=" + ArcPolicy.NAME)
public final class ArcPolicy implements EvictionPolicy {

    static final String NAME = "arc";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Adaptive Replacement Cache: balances recently and frequently used entries by itself; resists scans.";
    }

    @Override
    public EvictionTracker newTracker() {
        return new ArcTracker();
    }

    @Override
    public EvictionTracker restore(byte[] snapshot) {
        return ArcTracker.restore(snapshot);
    }
}
