package dev.steadytext.api.generate;

import java.util.Objects;

/**
 * The outcome of one generation.
 *
 * @param text the generated text, without the prompt and without the stop string that ended it; not trimmed
 * @param tokens how many tokens were generated
 * @param nanos wall time spent in the backend
 */
public record Generation(String text, int tokens, long nanos) {
    public Generation {
        Objects.requireNonNull(text, "text");
    }
}
