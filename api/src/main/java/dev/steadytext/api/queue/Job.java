package dev.steadytext.api.queue;

import dev.steadytext.api.generate.OutputConstraint;
import dev.steadytext.api.rerank.RerankQuery;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A claimed request, as a worker sees it.
 *
 * @param requestId the request's id, as the caller holds it
 * @param type what is asked
 * @param modelFingerprint the model that must serve it (a worker that has another model must not)
 * @param useCache whether the result is written to the cache
 * @param inputs the prompt or texts; one element except for {@link RequestType#EMBED_BATCH}, and the documents of
 *     {@link RequestType#RERANK}
 * @param cacheKeys the cache key of each input, in the same order
 * @param maxTokens generation only: the most tokens to generate
 * @param seed generation only: the seed
 * @param eosString generation only: the caller's extra stop string, or {@code [EOS]} for none
 * @param attempts how many times this request has been claimed, this claim included
 * @param constraint generation only: the shape the output must have ({@link OutputConstraint#NONE} for plain text)
 * @param stream generation only: a caller reads the output while it is generated, so the worker publishes it as it
 *     goes ({@link JobStreams}); the result and the cache row are the same as without
 * @param rerank reranking only (else null): the query and task the documents ({@code inputs}) are scored against
 */
public record Job(
        UUID requestId,
        RequestType type,
        String modelFingerprint,
        boolean useCache,
        List<String> inputs,
        List<String> cacheKeys,
        int maxTokens,
        int seed,
        String eosString,
        int attempts,
        OutputConstraint constraint,
        boolean stream,
        RerankQuery rerank) {

    public Job {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(constraint, "constraint");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(modelFingerprint, "modelFingerprint");
        inputs = List.copyOf(inputs);
        cacheKeys = List.copyOf(cacheKeys);
        if (inputs.size() != cacheKeys.size()) {
            throw new IllegalArgumentException("one cache key per input: " + inputs.size() + " inputs, " + cacheKeys.size() + " keys");
        }
        if ((type == RequestType.RERANK) != (rerank != null)) {
            throw new IllegalArgumentException("a rerank job, and only one, has a query: " + type + ", " + rerank);
        }
    }

    /** A job that is not a rerank job. */
    public Job(UUID requestId, RequestType type, String modelFingerprint, boolean useCache, List<String> inputs,
            List<String> cacheKeys, int maxTokens, int seed, String eosString, int attempts,
            OutputConstraint constraint, boolean stream) {
        this(requestId, type, modelFingerprint, useCache, inputs, cacheKeys, maxTokens, seed, eosString, attempts,
                constraint, stream, null);
    }

    /** A rerank job: its documents with their cache keys, scored against {@code rerank}. */
    public static Job rerank(UUID requestId, String modelFingerprint, List<String> documents, List<String> cacheKeys,
            RerankQuery rerank, int attempts) {
        return new Job(requestId, RequestType.RERANK, modelFingerprint, true, documents, cacheKeys, 0, 0,
                "[EOS]", attempts, OutputConstraint.NONE, false, Objects.requireNonNull(rerank, "rerank"));
    }

    /** A job that is not streamed. */
    public Job(UUID requestId, RequestType type, String modelFingerprint, boolean useCache, List<String> inputs,
            List<String> cacheKeys, int maxTokens, int seed, String eosString, int attempts,
            OutputConstraint constraint) {
        this(requestId, type, modelFingerprint, useCache, inputs, cacheKeys, maxTokens, seed, eosString, attempts,
                constraint, false);
    }

    /** A job without an output constraint, not streamed. */
    public Job(UUID requestId, RequestType type, String modelFingerprint, boolean useCache, List<String> inputs,
            List<String> cacheKeys, int maxTokens, int seed, String eosString, int attempts) {
        this(requestId, type, modelFingerprint, useCache, inputs, cacheKeys, maxTokens, seed, eosString, attempts,
                OutputConstraint.NONE);
    }
}
