package dev.steadytext.worker.internal;

import dev.steadytext.api.queue.Job;
import dev.steadytext.api.queue.JobQueue;
import dev.steadytext.api.queue.JobResult;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records what the worker computed. Results are completed in small groups: one transaction for several fast jobs
 * keeps queue throughput high, while a group never waits longer than {@code maxDelayNanos} for company, so a
 * caller waiting on the first result is not held up by the next job.
 *
 * <p>{@link #inBackground} outcomes complete each group on a thread of their own, at most one group at a time, while
 * the lane claims and computes the next: for embeddings, whose groups write about 100 KB of vectors, that keeps the
 * model busy (the lane waits only when a group is still being written when the next is ready).
 */
final class Outcomes implements AutoCloseable {

    private static final Logger LOG = System.getLogger(Outcomes.class.getName());

    private final UUID workerId;
    private final JobQueue queue;
    private final InFlight inFlight;
    private final AtomicLong jobsDone;
    private final long maxDelayNanos;
    private final List<JobResult> pending = new ArrayList<>();
    private long firstPendingAt;

    /** Completes groups in the background; null: on the calling thread. */
    private final ExecutorService completer;
    private Future<?> lastCompletion = CompletableFuture.completedFuture(null);

    Outcomes(UUID workerId, JobQueue queue, InFlight inFlight, AtomicLong jobsDone, long maxDelayNanos) {
        this(workerId, queue, inFlight, jobsDone, maxDelayNanos, null);
    }

    private Outcomes(UUID workerId, JobQueue queue, InFlight inFlight, AtomicLong jobsDone, long maxDelayNanos,
            ExecutorService completer) {
        this.workerId = workerId;
        this.queue = queue;
        this.inFlight = inFlight;
        this.jobsDone = jobsDone;
        this.maxDelayNanos = maxDelayNanos;
        this.completer = completer;
    }

    /** Outcomes whose groups are completed on a thread named {@code threadName}; {@link #close} ends it. */
    static Outcomes inBackground(UUID workerId, JobQueue queue, InFlight inFlight, AtomicLong jobsDone,
            long maxDelayNanos, String threadName) {
        return new Outcomes(workerId, queue, inFlight, jobsDone, maxDelayNanos, Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name(threadName).factory()));
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

    /** Completes every pending result now, or hands them to the background thread. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<JobResult> group = List.copyOf(pending);
        pending.clear();
        if (completer == null) {
            complete(group);
            return;
        }
        // One group at a time: memory stays bounded, and a slow database slows the lane down instead of piling up.
        awaitLastCompletion();
        lastCompletion = completer.submit(() -> complete(group));
    }

    private void awaitLastCompletion() {
        try {
            lastCompletion.get();
        } catch (ExecutionException e) {
            LOG.log(Level.ERROR, "completing a group failed unexpectedly", e.getCause());
        } catch (InterruptedException e) {
            // The lane is stopping: the group still completes in the background, and close() waits for it.
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits for the group being completed in the background, if any, and ends the background thread; call it after
     * the lane has stopped and before its unfinished jobs are handed back, so that none is both.
     */
    @Override
    public void close() {
        if (completer == null) {
            return;
        }
        completer.shutdown();
        try {
            completer.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void complete(List<JobResult> group) {
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
