package dev.steadytext.worker.internal;

import dev.steadytext.api.queue.Job;
import dev.steadytext.api.queue.JobResult;
import dev.steadytext.api.rerank.Reranker;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs rerank jobs one at a time, each as one call to its model's {@link Reranker} with all of the job's documents
 * (the reranker batches them as its model allows). A request the model cannot serve fails the job for good (an
 * {@link IllegalArgumentException}, like any bad request); anything else is retried.
 */
final class RerankProcessor implements Processor {

    private final Models models;
    private final Outcomes outcomes;

    RerankProcessor(Models models, Outcomes outcomes) {
        this.models = models;
        this.outcomes = outcomes;
    }

    @Override
    public void process(List<Job> jobs, BooleanSupplier stopping) {
        for (int i = 0; i < jobs.size(); i++) {
            Job job = jobs.get(i);
            Reranker reranker = models.reranker(job.modelFingerprint());
            if (stopping.getAsBoolean() || reranker == null) {
                outcomes.flush();
                outcomes.released(jobs.subList(i, jobs.size()));
                return;
            }
            long start = System.nanoTime();
            try {
                double[] scores = reranker.score(job.rerank().query(), job.inputs(), job.rerank().task());
                outcomes.completed(JobResult.reranked(job, scores, (System.nanoTime() - start) / 1_000_000));
            } catch (IllegalArgumentException e) {
                outcomes.failed(job, e, false);
            } catch (RuntimeException e) {
                outcomes.failed(job, e, true);
            }
        }
        outcomes.flush();
    }
}
