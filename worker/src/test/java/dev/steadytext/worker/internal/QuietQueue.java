package dev.steadytext.worker.internal;

import dev.steadytext.api.queue.Job;
import dev.steadytext.api.queue.JobQueue;
import dev.steadytext.api.queue.JobResult;
import dev.steadytext.api.queue.RequestType;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** A queue for tests of what the worker tells it: has no work, and ignores everything; tests override what they watch. */
class QuietQueue implements JobQueue {

    @Override
    public List<Job> claim(UUID workerId, Set<RequestType> types, Set<String> models, int limit, Duration lease) {
        return List.of();
    }

    @Override
    public void complete(UUID workerId, List<JobResult> results) {
    }

    @Override
    public void fail(UUID workerId, Job job, String error, boolean retryable) {
    }

    @Override
    public void release(UUID workerId, Collection<UUID> requestIds) {
    }

    @Override
    public int extendLeases(UUID workerId, Collection<UUID> requestIds, Duration lease) {
        return 0;
    }

    @Override
    public boolean awaitWork(Duration timeout) {
        return false;
    }

    @Override
    public boolean awaitWork(Set<RequestType> types, Duration timeout) {
        return false;
    }
}
