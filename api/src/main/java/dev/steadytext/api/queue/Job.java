package dev.steadytext.api.queue;

import dev.steadytext.api.generate.OutputConstraint;
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
 * @param inputs the prompt or texts; one element except for {@link RequestType#EMBED_BATCH}
 * @param cacheKeys the cache key of each input, in the same order
 * @param maxTokens generation only: the most tokens to generate
 * @param seed generation only: the seed
 * @param eosString generation only: the caller's extra stop string, or {@code [EOS]} for none
 * @param attempts how many times this request has been claimed, this claim included
 * @param constraint generation only: the shape the output must have ({@link OutputConstraint#NONE} for plain text)
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
        OutputConstraint constraint) {

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
    }

    /** A job without an output constraint. */
    public Job(UUID requestId, RequestType type, String modelFingerprint, boolean useCache, List<String> inputs,
            List<String> cacheKeys, int maxTokens, int seed, String eosString, int attempts) {
        this(requestId, type, modelFingerprint, useCache, inputs, cacheKeys, maxTokens, seed, eosString, attempts,
                OutputConstraint.NONE);
    }
}
