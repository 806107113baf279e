package dev.steadytext.worker.internal;

import dev.steadytext.api.generate.Generation;
import dev.steadytext.api.generate.GenerationRequest;
import dev.steadytext.api.generate.Generator;
import dev.steadytext.api.queue.Job;
import dev.steadytext.api.queue.JobResult;
import dev.steadytext.api.queue.JobStreams;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.UUID;
import java.util.concurrent.CancellationException;

/**
 * Runs a streaming generation job: the output goes to {@link JobStreams} while it is decoded ({@link StreamPublisher}),
 * and the result is completed as any other, at once, since its readers wait for the rest. A job nobody reads any more
 * (its callers were cancelled or disconnected) is stopped between two tokens and ends cancelled.
 */
final class StreamingGeneration {

    private static final Logger LOG = System.getLogger(StreamingGeneration.class.getName());
    static final String NOBODY_READS = "cancelled: no caller reads its stream any more";

    private final UUID workerId;
    private final JobStreams streams;
    private final Outcomes outcomes;

    StreamingGeneration(UUID workerId, JobStreams streams, Outcomes outcomes) {
        this.workerId = workerId;
        this.streams = streams;
        this.outcomes = outcomes;
    }

    /**
     * Generates {@code request} for {@code job}, publishing as it goes, and records the outcome unless the job fails:
     * a failure propagates, for the caller to record (its published output is discarded).
     */
    void generate(Job job, Generator generator, GenerationRequest request) {
        // Results of earlier jobs must not wait for this one.
        outcomes.flush();
        if (!streams.begin(workerId, job)) {
            abandon(job);
            return;
        }
        StreamPublisher publisher = new StreamPublisher(text -> GenerationProcessor.output(job, text),
                (position, text) -> streams.publish(workerId, job, position, text));
        boolean abandoned = false;
        try {
            Generation generation = generator.generate(request, publisher);
            outcomes.completed(JobResult.generated(job, GenerationProcessor.output(job, generation.text()),
                    generation.nanos() / 1_000_000));
            outcomes.flush();
        } catch (CancellationException e) {
            abandoned = true;
            abandon(job);
        } finally {
            if (!abandoned) {
                discardOutput(job);
            }
        }
    }

    private void abandon(Job job) {
        try {
            streams.abandon(workerId, job, NOBODY_READS);
            LOG.log(Level.INFO, "request {0} stopped: no caller reads its stream any more", job.requestId());
        } catch (RuntimeException e) {
            // The job stays processing until its lease runs out; the next worker finds nobody reading and stops.
            LOG.log(Level.WARNING, "could not cancel the abandoned stream of " + job.requestId(), e);
        } finally {
            outcomes.forget(job);
        }
    }

    private void discardOutput(Job job) {
        try {
            streams.end(job.requestId());
        } catch (RuntimeException e) {
            // Left-over chunks are swept when the next stream begins.
            LOG.log(Level.WARNING, "could not discard the stream output of {0}: {1}", job.requestId(), e.getMessage());
        }
    }
}
