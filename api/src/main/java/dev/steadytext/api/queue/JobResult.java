package dev.steadytext.api.queue;

import java.util.List;
import java.util.Objects;

/**
 * What a worker computed for a job: texts for generation, vectors for embeddings, one per input.
 *
 * @param job the job this answers
 * @param texts generated texts (empty for embedding jobs)
 * @param embeddings vectors (empty for generation jobs)
 * @param computeMillis time spent computing, recorded with the cache entry
 */
public record JobResult(Job job, List<String> texts, List<float[]> embeddings, long computeMillis) {

    public JobResult {
        Objects.requireNonNull(job, "job");
        texts = List.copyOf(texts);
        embeddings = List.copyOf(embeddings);
        int expected = job.inputs().size();
        int given = job.type().modelKind() == dev.steadytext.api.model.ModelKind.GENERATION ? texts.size() : embeddings.size();
        if (given != expected) {
            throw new IllegalArgumentException("job " + job.requestId() + " has " + expected + " inputs but " + given + " outputs");
        }
    }

    public static JobResult generated(Job job, String text, long computeMillis) {
        return new JobResult(job, List.of(text), List.of(), computeMillis);
    }

    public static JobResult embedded(Job job, List<float[]> vectors, long computeMillis) {
        return new JobResult(job, List.of(), vectors, computeMillis);
    }
}
