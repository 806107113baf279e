package dev.steadytext.worker.internal;

import dev.steadytext.api.queue.Job;
import dev.steadytext.api.queue.JobQueue;
import dev.steadytext.api.queue.JobResult;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records what the worker computed. Results are completed in small groups: one transaction for several fast jobs
 * keeps queue throughput high, while a group never waits longer than {@code maxDelayNanos} for company, so a
 * caller waiting on the first result is not held up by the next job.
 */
final class Outcomes {

    private static final Logger LOG = System.getLogger(Outcomes.class.getName());

    private final UUID workerId;
    private final JobQueue queue;
    private final InFlight inFlight;
    private final AtomicLong jobsDone;
    private final long maxDelayNanos;
    private final List<JobResult> pending = new ArrayList<>();
    private long firstPendingAt;

    Outcomes(UUID workerId, JobQueue queue, InFlight inFlight, AtomicLong jobsDone, long maxDelayNanos) {
        this.workerId = workerId;
        this.queue = queue;
        this.inFlight = inFlight;
        this.jobsDone = jobsDone;
        this.maxDelayNanos = maxDelayNanos;
    }

    /** Adds a result; completes the group once its oldest result has waited long enough. */
    void completed(JobResult result) {
        if (pending.isEmpty()) {
            firstPendingAt = System.nanoTime();
        }
        pending.add(result);
        if (System.nanoTime() - firstPendingAt >= maxDelayNanos) {
            flush();
        }
    }

    /** Completes every pending result now. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<JobResult> group = List.copyOf(pending);
        pending.clear();
        try {
            queue.complete(workerId, group);
            jobsDone.addAndGet(group.size());
        } catch (RuntimeException e) {
            // The jobs stay processing under our lease; once it runs out, a worker computes them again.
            LOG.log(Level.ERROR, "could not record " + group.size() + " results; they will be recomputed", e);
        } finally {
            group.forEach(result -> inFlight.remove(result.job().requestId()));
        }
    }

    /** Records a failure; permanent ones (bad input) are not retried. */
    void failed(Job job, RuntimeException error, boolean retryable) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        try {
            queue.fail(workerId, job, message, retryable);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "could not record the failure of " + job.requestId(), e);
        } finally {
            inFlight.remove(job.requestId());
        }
        LOG.log(retryable ? Level.WARNING : Level.INFO, "request {0} failed: {1}", job.requestId(), message);
    }

    /** Forgets a job whose end was recorded elsewhere (a streaming job given up, see {@link StreamingGeneration}). */
    void forget(Job job) {
        inFlight.remove(job.requestId());
    }

    /** Hands jobs back to the queue unstarted. */
    void released(List<Job> jobs) {
        if (jobs.isEmpty()) {
            return;
        }
        List<UUID> ids = jobs.stream().map(Job::requestId).toList();
        try {
            queue.release(workerId, ids);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not release " + ids.size() + " jobs; their leases will expire", e);
        } finally {
            ids.forEach(inFlight::remove);
        }
    }
}
