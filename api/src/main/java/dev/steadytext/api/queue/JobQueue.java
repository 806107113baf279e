package dev.steadytext.api.queue;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The queue between SQL callers and workers.
 *
 * <p>Claims are leases: a claimed job whose lease runs out becomes claimable again, so a worker that dies loses
 * nothing. A worker extends the leases of the jobs it is still computing.
 */
@ProviderType
public interface JobQueue {

    /**
     * Claims up to {@code limit} runnable jobs of the given types served by the given models, oldest first, skipping
     * jobs other workers hold.
     */
    List<Job> claim(UUID workerId, Set<RequestType> types, Set<String> modelFingerprints, int limit, Duration lease);

    /**
     * Records results: the cache rows (for jobs that use the cache), the jobs' completion and the wake-up of their
     * waiting callers commit together. A job this worker no longer holds (cancelled, or its lease taken over) is not
     * overwritten; its cache rows are still written, since they are correct whoever computed them.
     */
    void complete(UUID workerId, List<JobResult> results);

    /**
     * Records a failure. A retryable failure is retried after a capped exponential backoff while attempts remain;
     * otherwise, or once attempts are exhausted, the job ends {@code failed} with {@code error} visible to its caller.
     */
    void fail(UUID workerId, Job job, String error, boolean retryable);

    /** Returns jobs to the queue without counting the attempt, for a worker that stops before computing them. */
    void release(UUID workerId, Collection<UUID> requestIds);

    /** Extends the leases this worker holds on the given jobs; returns how many it still held. */
    int extendLeases(UUID workerId, Collection<UUID> requestIds, Duration lease);

    /**
     * Waits until new work may be there: a notification arrived, or the timeout passed (polling is the fallback for
     * a missed notification).
     *
     * @return true if woken by a notification
     */
    boolean awaitWork(Duration timeout) throws InterruptedException;

    /**
     * Waits until new work of one of these types may be there: a notification for one of them arrived, or the timeout
     * passed. A worker's lanes wait this way, so that a request for one lane does not wake the others.
     *
     * @return true if woken by a notification
     */
    boolean awaitWork(Set<RequestType> types, Duration timeout) throws InterruptedException;
}
