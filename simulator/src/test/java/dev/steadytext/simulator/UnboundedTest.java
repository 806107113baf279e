package dev.steadytext.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.simulator.policy.Budget;
import dev.steadytext.simulator.policy.PolicyStats;
import org.junit.jupiter.api.Test;

class UnboundedTest {

    @Test
    void missesOnlyTheFirstAccessToEachKey() {
        Trace trace = Traces.ofWords("a b a c b a d a");
        PolicyStats stats = Simulation.run(trace, Budget.entries(1), Registry.policy(Registry.UNBOUNDED), 1).stats();
        assertThat(stats.misses()).isEqualTo(4);
        assertThat(stats.hits()).isEqualTo(4);
        assertThat(stats.evictions()).isZero();
    }
}
