package dev.steadytext.simulator.report;

import dev.steadytext.simulator.policy.PolicyStats;
import java.util.function.ToDoubleFunction;

/** The three rates every report shows. */
public enum Metric {
    HIT_RATE("hit rate", PolicyStats::hitRate),
    BYTE_HIT_RATE("byte hit rate", PolicyStats::byteHitRate),
    PENALTY_HIT_RATE("penalty-weighted hit rate", PolicyStats::penaltyHitRate);

    private final String label;
    private final ToDoubleFunction<PolicyStats> value;

    Metric(String label, ToDoubleFunction<PolicyStats> value) {
        this.label = label;
        this.value = value;
    }

    public String label() {
        return label;
    }

    public double of(PolicyStats stats) {
        return value.applyAsDouble(stats);
    }
}
