package dev.steadytext.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.simulator.policy.AccessEvent;
import dev.steadytext.simulator.policy.Budget;
import dev.steadytext.simulator.policy.PolicyStats;
import org.junit.jupiter.api.Test;

class ClairvoyantTest {

    private static PolicyStats run(Trace trace, Budget budget, String policy) {
        return Simulation.run(trace, budget, Registry.policy(policy), 1).stats();
    }

    /**
     * The textbook reference string (Silberschatz et al., Operating System Concepts) with 3 frames: demand paging's
     * OPT faults 9 times, because it must load page 4 (never used again) and evict for it. A cache may decline to keep
     * an entry, as ours do by evicting the newcomer, so the optimum here skips that load: 8 misses (7 0 1 2 3 4 1 7).
     */
    @Test
    void textbookReferenceString_threeFrames_eightMissesWhenAnEntryMayBeDropped() {
        Trace trace = Traces.ofWords("7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1");
        PolicyStats belady = run(trace, Budget.entries(3), Registry.BELADY);
        assertThat(belady.misses()).isEqualTo(8);
        assertThat(belady.hits()).isEqualTo(12);
        assertThat(run(trace, Budget.entries(3), "steadytext.lru").misses()).as("LRU, 12 in the textbook")
                .isEqualTo(12);
    }

    @Test
    void loopLongerThanTheCache_keepsWhatComesBackFirst() {
        // Cache of 2, loop of 3: LRU never hits; Belady keeps two of the three and hits on them.
        Trace trace = Traces.ofWords("a b c a b c a b");
        assertThat(run(trace, Budget.entries(2), Registry.BELADY).hits()).isEqualTo(4);
        assertThat(run(trace, Budget.entries(2), "steadytext.lru").hits()).isZero();
    }

    @Test
    void byteBudget_isNeverExceeded_andAnEntryLargerThanTheCacheIsNotKept() {
        AccessEvent small = new AccessEvent("small", 100, 1);
        AccessEvent huge = new AccessEvent("huge", 1_000, 1);
        Trace trace = new Trace("test", new AccessEvent[] {small, huge, small, huge, small});
        PolicyStats belady = run(trace, Budget.bytes(500), Registry.BELADY);
        assertThat(belady.hits()).isEqualTo(2);
        assertThat(belady.byteHitRate()).isEqualTo(200.0 / 2_300);
    }

    @Test
    void noPolicy_beatsBelady_onABudgetInEntries() {
        Trace trace = Trace.read(dev.steadytext.simulator.parser.SyntheticTrace.zipf(500, 0.9, 20_000, 1));
        long optimum = run(trace, Budget.entries(50), Registry.BELADY).hits();
        for (Registry.PolicySpec spec : Registry.policies()) {
            if (!spec.name().equals(Registry.UNBOUNDED)) {
                assertThat(run(trace, Budget.entries(50), spec.name()).hits()).as(spec.name())
                        .isLessThanOrEqualTo(optimum);
            }
        }
    }
}
