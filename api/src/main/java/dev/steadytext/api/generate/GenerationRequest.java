package dev.steadytext.api.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One greedy generation: the prompt, how many tokens at most, the seed, the strings that end it, and the shape its
 * output must have.
 *
 * @param prompt the raw prompt, sent to the model as it is
 * @param maxTokens the most tokens to generate, at least 1
 * @param seed the sampler seed, at least 0; with greedy decoding it changes nothing, but it is pinned and keyed
 * @param stopStrings strings that end generation; they are not part of the returned text
 * @param constraint the shape the output must have; {@link OutputConstraint#NONE} for plain text
 */
public record GenerationRequest(String prompt, int maxTokens, int seed, List<String> stopStrings,
        OutputConstraint constraint) {

    /** Stop sequences every generation honours (the contract's list, in its order). */
    public static final List<String> DEFAULT_STOP_STRINGS = List.of("<|im_end|>", "<|im_start|>", "</s>", "<|endoftext|>");

    /** The {@code eos_string} value that means "no extra stop string". */
    public static final String NO_EXTRA_EOS = "[EOS]";

    public GenerationRequest {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(constraint, "constraint");
        stopStrings = List.copyOf(stopStrings);
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1: " + maxTokens);
        }
        if (seed < 0) {
            throw new IllegalArgumentException("seed must not be negative: " + seed);
        }
    }

    /** An unconstrained request. */
    public GenerationRequest(String prompt, int maxTokens, int seed, List<String> stopStrings) {
        this(prompt, maxTokens, seed, stopStrings, OutputConstraint.NONE);
    }

    /** An unconstrained request with the default stop strings, plus {@code eosString} unless it is {@link #NO_EXTRA_EOS}. */
    public static GenerationRequest of(String prompt, int maxTokens, int seed, String eosString) {
        List<String> stops = new ArrayList<>(DEFAULT_STOP_STRINGS);
        if (eosString != null && !eosString.isEmpty() && !NO_EXTRA_EOS.equals(eosString)) {
            stops.add(eosString);
        }
        return new GenerationRequest(prompt, maxTokens, seed, stops);
    }

    /**
     * A request as a queued job describes it: unconstrained as {@link #of(String, int, int, String)}; constrained
     * without stop strings, because the constraint decides where the output ends and a stop string inside a JSON
     * string or a choice would cut a valid output short.
     */
    public static GenerationRequest of(String prompt, int maxTokens, int seed, String eosString,
            OutputConstraint constraint) {
        if (constraint instanceof OutputConstraint.Unconstrained) {
            return of(prompt, maxTokens, seed, eosString);
        }
        return new GenerationRequest(prompt, maxTokens, seed, List.of(), constraint);
    }
}
