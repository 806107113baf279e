package dev.steadytext.cache.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BudgetTest {

    @Test
    void overriddenBy_replacesOnlyTheTargetsGiven() {
        Budget configured = new Budget(100, 5_000);
        assertThat(configured.overriddenBy(10L, null)).isEqualTo(new Budget(10, 5_000));
        assertThat(configured.overriddenBy(null, null)).isEqualTo(configured);
    }

    @Test
    void excess_isWhatMustGo_neverNegative_andNothingWhenUnbounded() {
        Budget budget = new Budget(100, Budget.UNBOUNDED);
        assertThat(budget.excessEntries(130)).isEqualTo(30);
        assertThat(budget.excessEntries(90)).isZero();
        assertThat(budget.excessBytes(Long.MAX_VALUE - 1)).isZero();
    }
}
