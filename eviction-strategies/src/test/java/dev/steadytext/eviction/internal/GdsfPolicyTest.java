package dev.steadytext.eviction.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.api.eviction.CacheEntry;
import dev.steadytext.api.eviction.EvictionPolicy;
import dev.steadytext.api.eviction.EvictionTracker;
import dev.steadytext.testkit.EvictionPolicyContract;
import org.junit.jupiter.api.Test;

class GdsfPolicyTest extends EvictionPolicyContract {

    @Override
    protected EvictionPolicy policy() {
        return new GdsfPolicy();
    }

    @Test
    void victims_keepTheSlowGeneration_overTheCheapEmbedding() {
        EvictionTracker gdsf = policy().newTracker();
        gdsf.onInsert(new CacheEntry("generation", 2_000, 30_000), 0);
        gdsf.onInsert(new CacheEntry("embedding", 1_600, 5), 1);
        gdsf.onHit("embedding", 2);
        gdsf.onHit("embedding", 3);
        // 1 × 30000/2000 = 15 against 3 × 5/1600 ≈ 0.009
        assertThat(gdsf.victims(1, 3).get(0).key()).isEqualTo("embedding");
        assertThat(gdsf.describe("generation", 3)).isEqualTo("priority=15.0");
    }

    @Test
    void inflation_letsAnExpensiveEntryAge_whenItIsNoLongerUsed() {
        EvictionTracker gdsf = policy().newTracker();
        gdsf.onInsert(new CacheEntry("once-expensive", 1_000, 10_000), 0); // H = 10
        long t = 1;
        for (int round = 0; round < 12; round++) {
            // each round a cheap entry arrives and one is evicted: L rises by about 1 per round
            gdsf.onInsert(new CacheEntry("cheap" + round, 1_000, 1_000 * (round + 1) - 1), t++);
            gdsf.onEvict(gdsf.victims(1, t).get(0).key());
        }
        assertThat(gdsf.describe("once-expensive", t)).as("evicted once L passed its priority").isNull();
    }

    @Test
    void withoutCosts_ranksByRecency() {
        EvictionTracker gdsf = policy().newTracker();
        gdsf.onInsert(new CacheEntry("a", 100, 0), 0);
        gdsf.onInsert(new CacheEntry("b", 100, 0), 1);
        gdsf.onInsert(new CacheEntry("c", 100, 0), 2);
        gdsf.onHit("a", 3);
        assertThat(gdsf.victims(3, 3)).extracting(v -> v.key()).containsExactly("b", "c", "a");
    }
}
