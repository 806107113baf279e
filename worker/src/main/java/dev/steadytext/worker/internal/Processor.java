package dev.steadytext.worker.internal;

import dev.steadytext.api.queue.Job;
import java.util.List;

/** Computes a claimed batch of jobs and records each outcome in the queue. */
interface Processor {

    /**
     * Processes {@code jobs}; every job ends completed, failed, or released back to the queue (when {@code stopping}
     * turns true before it starts).
     */
    void process(List<Job> jobs, java.util.function.BooleanSupplier stopping);
}
