package dev.steadytext.api.queue;

import dev.steadytext.api.model.ModelKind;
import java.util.List;
import java.util.Objects;

/**
 * What a worker computed for a job: texts for generation, vectors for embeddings, scores for reranking, one per
 * input.
 *
 * @param job the job this answers
 * @param texts generated texts (empty for other jobs)
 * @param embeddings vectors (empty for other jobs)
 * @param computeMillis time spent computing, recorded with the cache entry
 * @param scores reranking scores, one per document, all finite (empty for other jobs); a negative zero becomes 0.0
 */
public record JobResult(Job job, List<String> texts, List<float[]> embeddings, long computeMillis, List<Double> scores) {

    public JobResult {
        Objects.requireNonNull(job, "job");
        texts = List.copyOf(texts);
        embeddings = List.copyOf(embeddings);
        // jsonb, which carries a job's scores to its callers, has no negative zero: store +0.0 everywhere alike.
        scores = scores.stream().map(score -> score == 0.0 ? 0.0 : score).toList();
        int expected = job.inputs().size();
        ModelKind kind = job.type().modelKind();
        int given = switch (kind) {
            case GENERATION -> texts.size();
            case EMBEDDING -> embeddings.size();
            case RERANKING -> scores.size();
        };
        if (given != expected) {
            throw new IllegalArgumentException("job " + job.requestId() + " has " + expected + " inputs but " + given + " outputs");
        }
        if (scores.stream().anyMatch(score -> !Double.isFinite(score))) {
            throw new IllegalArgumentException("job " + job.requestId() + " has a score that is not finite: " + scores);
        }
    }

    /** A result without scores. */
    public JobResult(Job job, List<String> texts, List<float[]> embeddings, long computeMillis) {
        this(job, texts, embeddings, computeMillis, List.of());
    }

    public static JobResult generated(Job job, String text, long computeMillis) {
        return new JobResult(job, List.of(text), List.of(), computeMillis);
    }

    public static JobResult embedded(Job job, List<float[]> vectors, long computeMillis) {
        return new JobResult(job, List.of(), vectors, computeMillis);
    }

    /** A rerank job's scores, one per document in the job's order. */
    public static JobResult reranked(Job job, double[] scores, long computeMillis) {
        return new JobResult(job, List.of(), List.of(), computeMillis,
                java.util.Arrays.stream(scores).boxed().toList());
    }
}
