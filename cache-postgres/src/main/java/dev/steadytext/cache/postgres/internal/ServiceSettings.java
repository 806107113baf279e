package dev.steadytext.cache.postgres.internal;

import java.time.Duration;

/**
 * How the eviction service runs, from the configuration file (PID {@value PostgresCacheStore#PID}); budgets and the
 * SQL policy choice live in {@code steadytext_config} instead (see {@link SqlSettings}).
 *
 * @param filePolicy the policy to run when SQL config {@code cache_eviction_policy} is null; empty: {@value #DEFAULT_POLICY}
 * @param fold how often the leader folds the access log and the change feed into its trackers
 * @param checkpoint how often the leader saves its trackers' snapshots (only those that changed)
 * @param standby how often a worker that does not lead tries to
 * @param batchSize most entries one DELETE removes
 * @param protectMillis entries inserted or hit this recently are never evicted
 * @param round longest a budget round runs before the leader folds and answers requests again
 */
record ServiceSettings(String filePolicy, Duration fold, Duration checkpoint, Duration standby, int batchSize,
        long protectMillis, Duration round) {

    /** The built-in policy run when nothing else is chosen (or the chosen one is missing). */
    static final String DEFAULT_POLICY = "arc";
    static final int MAX_BATCH = 500;

    ServiceSettings {
        requirePositive("foldMillis", fold.toMillis());
        requirePositive("checkpointMillis", checkpoint.toMillis());
        requirePositive("standbyMillis", standby.toMillis());
        requirePositive("roundMillis", round.toMillis());
        if (batchSize < 1 || batchSize > MAX_BATCH) {
            throw new IllegalArgumentException("evictionBatchSize must be between 1 and " + MAX_BATCH + ", not "
                    + batchSize + " (configuration " + PostgresCacheStore.PID + ")");
        }
        if (protectMillis < 0) {
            throw new IllegalArgumentException("protectMillis must be 0 or more, not " + protectMillis
                    + " (configuration " + PostgresCacheStore.PID + ")");
        }
        filePolicy = filePolicy == null ? "" : filePolicy.strip();
    }

    static ServiceSettings of(PostgresCacheStore.Config config) {
        return new ServiceSettings(config.evictionPolicy(), Duration.ofMillis(config.foldMillis()),
                Duration.ofMillis(config.checkpointMillis()), Duration.ofMillis(config.standbyMillis()),
                config.evictionBatchSize(), config.protectMillis(), Duration.ofMillis(config.roundMillis()));
    }

    private static void requirePositive(String name, long millis) {
        if (millis < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, not " + millis + " (configuration "
                    + PostgresCacheStore.PID + ")");
        }
    }
}
