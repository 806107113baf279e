package dev.steadytext.simulator.policy;

import java.util.Objects;

/**
 * One lookup in a trace: the key, what its entry weighs and what a miss on it costs.
 *
 * @param key the cache key (an anonymised hash in recorded traces)
 * @param weightBytes the size of the entry, at least 0
 * @param penaltyMillis the time to compute the entry on a miss, at least 0
 */
public record AccessEvent(String key, long weightBytes, long penaltyMillis) {

    public AccessEvent {
        Objects.requireNonNull(key, "key");
        if (weightBytes < 0) {
            throw new IllegalArgumentException("weightBytes must not be negative: " + weightBytes);
        }
        if (penaltyMillis < 0) {
            throw new IllegalArgumentException("penaltyMillis must not be negative: " + penaltyMillis);
        }
    }
}
