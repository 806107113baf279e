package dev.steadytext.worker.internal;

import dev.steadytext.api.generate.Generation;
import dev.steadytext.api.generate.GenerationRequest;
import dev.steadytext.api.generate.Generator;
import dev.steadytext.api.generate.OutputConstraint;
import dev.steadytext.api.queue.Job;
import dev.steadytext.api.queue.JobResult;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs generation jobs one at a time: a model is fed a single request at once, which keeps outputs deterministic. A
 * job's output constraint (structured generation) goes to the backend with the request; a backend that cannot finish
 * a valid output fails the job for good (an {@link IllegalArgumentException}, like any bad request). A streaming job
 * publishes its output while it is generated ({@link StreamingGeneration}), with the same result.
 */
final class GenerationProcessor implements Processor {

    private final Models models;
    private final Outcomes outcomes;
    private final StreamingGeneration streaming;

    GenerationProcessor(Models models, Outcomes outcomes, StreamingGeneration streaming) {
        this.models = models;
        this.outcomes = outcomes;
        this.streaming = streaming;
    }

    @Override
    public void process(List<Job> jobs, BooleanSupplier stopping) {
        for (int i = 0; i < jobs.size(); i++) {
            Job job = jobs.get(i);
            Generator generator = models.generator(job.modelFingerprint());
            if (stopping.getAsBoolean() || generator == null) {
                outcomes.flush();
                outcomes.released(jobs.subList(i, jobs.size()));
                return;
            }
            try {
                GenerationRequest request = GenerationRequest.of(job.inputs().get(0), job.maxTokens(), job.seed(),
                        job.eosString(), job.constraint());
                if (job.stream()) {
                    streaming.generate(job, generator, request);
                    continue;
                }
                Generation generation = generator.generate(request);
                outcomes.completed(JobResult.generated(job, output(job, generation.text()),
                        generation.nanos() / 1_000_000));
            } catch (IllegalArgumentException e) {
                outcomes.failed(job, e, false);
            } catch (RuntimeException e) {
                outcomes.failed(job, e, true);
            }
        }
        outcomes.flush();
    }

    /**
     * A job's result from the backend's text. Plain text is trimmed of surrounding whitespace, as the contract says;
     * constrained output is returned as the backend checked it, since a pattern or a choice may begin or end with
     * whitespace. Applied to a prefix of the text, it gives a prefix of the result (what {@link StreamPublisher}
     * relies on).
     */
    static String output(Job job, String text) {
        return job.constraint() instanceof OutputConstraint.Unconstrained ? text.strip() : text;
    }
}
