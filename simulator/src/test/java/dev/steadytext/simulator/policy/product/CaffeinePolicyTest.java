package dev.steadytext.simulator.policy.product;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.simulator.policy.AccessEvent;
import dev.steadytext.simulator.policy.Budget;
import org.junit.jupiter.api.Test;

class CaffeinePolicyTest {

    @Test
    void workingSetThatFits_missesOnlyOnce_andNothingIsEvicted() {
        CaffeinePolicy caffeine = new CaffeinePolicy(Budget.entries(100));
        for (int round = 0; round < 5; round++) {
            for (int k = 0; k < 50; k++) {
                caffeine.record(new AccessEvent("k" + k, 1_000, 5));
            }
        }
        caffeine.finished();
        assertThat(caffeine.stats().misses()).isEqualTo(50);
        assertThat(caffeine.stats().hits()).isEqualTo(200);
        assertThat(caffeine.stats().evictions()).isZero();
    }

    @Test
    void budgetInBytes_evictsOnTheCallingThread() {
        CaffeinePolicy caffeine = new CaffeinePolicy(Budget.bytes(10_000));
        for (int k = 0; k < 100; k++) {
            caffeine.record(new AccessEvent("k" + k, 1_000, 5));
        }
        // no cleanUp: with executor(Runnable::run) the evictions have already happened
        assertThat(caffeine.stats().evictions()).isEqualTo(90);
    }
}
