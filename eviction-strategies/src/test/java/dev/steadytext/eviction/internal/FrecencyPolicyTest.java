package dev.steadytext.eviction.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.api.eviction.CacheEntry;
import dev.steadytext.api.eviction.EvictionPolicy;
import dev.steadytext.api.eviction.EvictionTracker;
import dev.steadytext.api.eviction.Victim;
import dev.steadytext.testkit.EvictionPolicyContract;
import org.junit.jupiter.api.Test;

class FrecencyPolicyTest extends EvictionPolicyContract {

    private static final long DAY = 86_400_000L;

    @Override
    protected EvictionPolicy policy() {
        return new FrecencyPolicy();
    }

    /** An entry used 3 times at t0 against one used once later: score 3·e^(−age/1 day) against 1. */
    private static EvictionTracker usedThriceThenOnceAt(long laterMillis) {
        EvictionTracker frecency = new FrecencyPolicy().newTracker();
        frecency.onInsert(new CacheEntry("thrice", 10, 1), 0);
        frecency.onHit("thrice", 0);
        frecency.onHit("thrice", 0);
        frecency.onInsert(new CacheEntry("once", 10, 1), laterMillis);
        return frecency;
    }

    @Test
    void score_decaysByAFactorEPerDay() {
        EvictionTracker frecency = usedThriceThenOnceAt(0);
        assertThat(frecency.describe("thrice", 0)).isEqualTo("score=3.00");
        assertThat(frecency.describe("thrice", DAY)).isEqualTo("score=1.10");
        assertThat(frecency.describe("thrice", 2 * DAY)).isEqualTo("score=0.406");
    }

    @Test
    void victims_afterHalfADay_keepTheFrequentEntry() {
        EvictionTracker frecency = usedThriceThenOnceAt(DAY / 2);
        // 3·e^(−0.5) = 1.82 > 1
        Victim victim = frecency.victims(1, DAY / 2).get(0);
        assertThat(victim.key()).isEqualTo("once");
        assertThat(victim.score()).isEqualTo(1.0);
    }

    @Test
    void victims_afterTwoDays_evictTheOnceFrequentEntry() {
        EvictionTracker frecency = usedThriceThenOnceAt(2 * DAY);
        // 3·e^(−2) = 0.41 < 1
        Victim victim = frecency.victims(1, 2 * DAY).get(0);
        assertThat(victim.key()).isEqualTo("thrice");
        assertThat(victim.score()).isCloseTo(3 * Math.exp(-2), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void order_doesNotChangeWhileTimePassesWithoutAccesses() {
        EvictionTracker frecency = usedThriceThenOnceAt(DAY);
        // at t = 1 day: 3·e^(−1) = 1.10 > 1, and both decay alike afterwards
        for (long t = DAY; t < 30 * DAY; t += DAY) {
            assertThat(frecency.victims(2, t)).extracting(Victim::key).containsExactly("once", "thrice");
        }
    }
}
