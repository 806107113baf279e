package dev.steadytext.worker.internal;

/**
 * How many jobs a lane claims at once. A claim should hold about {@code targetMillis} of work: jobs of a 30-second
 * generation are claimed one at a time, so that other workers can take the rest of the queue, while no-op-fast jobs
 * are claimed by the dozen, so that claiming and completing do not cost a transaction each. The estimate is a moving
 * average of the time per job, starting at one job per claim.
 */
final class ClaimSize {

    private static final double WEIGHT_OF_NEWEST = 0.3;

    private final int max;
    private final double targetNanos;
    private double nanosPerJob;

    ClaimSize(int max, long targetMillis) {
        this.max = Math.max(1, max);
        this.targetNanos = targetMillis * 1_000_000.0;
    }

    int next() {
        if (nanosPerJob <= 0) {
            return 1;
        }
        return (int) Math.max(1, Math.min(max, targetNanos / nanosPerJob));
    }

    /** Records that {@code jobs} jobs took {@code nanos} from claim to completion. */
    void record(int jobs, long nanos) {
        double perJob = (double) nanos / jobs;
        nanosPerJob = nanosPerJob <= 0 ? perJob : (1 - WEIGHT_OF_NEWEST) * nanosPerJob + WEIGHT_OF_NEWEST * perJob;
    }
}
