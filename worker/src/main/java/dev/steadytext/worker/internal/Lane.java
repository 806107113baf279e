package dev.steadytext.worker.internal;

import dev.steadytext.api.queue.Job;
import dev.steadytext.api.queue.JobQueue;
import dev.steadytext.api.queue.RequestType;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One claim-compute-complete loop on its own thread. Generation and embeddings run in separate lanes, so a
 * 30-second generation never delays an embedding.
 */
final class Lane implements Runnable {

    private static final Logger LOG = System.getLogger(Lane.class.getName());
    private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);
    /**
     * How long after its last job a lane keeps looking for the next one itself: every 0.2 ms for the first 2 ms, then
     * after twice as long each time. A NOTIFY takes 1.5 to 2 ms to reach the worker on a small virtual machine
     * (signals between idle processes), several times what a short job costs the platform, while a caller's next
     * request comes a millisecond or two after its previous answer: looking every 0.2 ms then took a sync miss's wait
     * for its claim from 0.78 to 0.49 ms (p50). An idle lane stops looking after about a dozen claims.
     */
    private static final long SPIN_NANOS = Duration.ofMillis(5).toNanos();
    private static final long STEADY_SPIN_NANOS = Duration.ofMillis(2).toNanos();
    private static final long FIRST_SPIN_PAUSE_NANOS = 200_000;

    private final String name;
    private final UUID workerId;
    private final JobQueue queue;
    private final Set<RequestType> types;
    private final Supplier<Set<String>> fingerprints;
    private final ClaimSize claimSize;
    private final Duration lease;
    private final Duration poll;
    private final Processor processor;
    private final InFlight inFlight;
    private final BooleanSupplier paused;
    private volatile boolean stopping;
    private Thread thread;
    private long lastJobNanos = System.nanoTime() - SPIN_NANOS;
    private long spinPauseNanos = FIRST_SPIN_PAUSE_NANOS;

    Lane(String name, UUID workerId, JobQueue queue, Set<RequestType> types, Supplier<Set<String>> fingerprints,
            ClaimSize claimSize, Duration lease, Duration poll, Processor processor, InFlight inFlight, BooleanSupplier paused) {
        this.name = name;
        this.workerId = workerId;
        this.queue = queue;
        this.types = types;
        this.fingerprints = fingerprints;
        this.claimSize = claimSize;
        this.lease = lease;
        this.poll = poll;
        this.processor = processor;
        this.inFlight = inFlight;
        this.paused = paused;
    }

    void start() {
        // Daemon: a generation stuck in native code must not keep the JVM alive after shutdown gave up on it.
        thread = Thread.ofPlatform().daemon().name("steadytext-" + name).start(this);
    }

    /** Asks the lane to stop after its current job, and waits up to {@code grace} for it. */
    boolean stop(Duration grace) throws InterruptedException {
        stopping = true;
        thread.interrupt();
        return thread.join(grace);
    }

    @Override
    public void run() {
        while (!stopping) {
            try {
                runOnce();
            } catch (InterruptedException e) {
                if (!stopping) {
                    LOG.log(Level.WARNING, "lane {0} interrupted while running", name);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "lane " + name + " failed; retrying in " + ERROR_PAUSE.toSeconds() + " s", e);
                sleep(ERROR_PAUSE);
            }
        }
    }

    private void runOnce() throws InterruptedException {
        Set<String> served = fingerprints.get();
        if (paused.getAsBoolean() || served.isEmpty()) {
            queue.awaitWork(types, poll);
            return;
        }
        long start = System.nanoTime();
        List<Job> jobs = queue.claim(workerId, types, served, claimSize.next(), lease);
        if (jobs.isEmpty()) {
            if (start - lastJobNanos < SPIN_NANOS) {
                queue.awaitWork(types, Duration.ofNanos(spinPauseNanos));
                if (start - lastJobNanos >= STEADY_SPIN_NANOS) {
                    spinPauseNanos = Math.min(spinPauseNanos * 2, SPIN_NANOS);
                }
            } else {
                queue.awaitWork(types, poll);
            }
            return;
        }
        spinPauseNanos = FIRST_SPIN_PAUSE_NANOS;
        jobs.forEach(job -> inFlight.add(job.requestId()));
        processor.process(jobs, () -> stopping);
        lastJobNanos = System.nanoTime();
        claimSize.record(jobs.size(), lastJobNanos - start);
    }

    private void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            // stop() interrupts; the loop condition ends the lane.
        }
    }
}
