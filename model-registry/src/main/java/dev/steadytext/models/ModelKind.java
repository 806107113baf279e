package dev.steadytext.models;

import java.util.Locale;

/** What a model computes; {@link #configName()} is its spelling in configuration and in the CLI. */
public enum ModelKind {
    GENERATION,
    EMBEDDING,
    RERANKING;

    /** {@code generation}, {@code embedding} or {@code reranking}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind spelled {@code value} (case-insensitive).
     *
     * @param argument the argument or configuration key that gave the value, named in the error message
     * @throws IllegalArgumentException naming {@code argument} when {@code value} is no kind
     */
    public static ModelKind parse(String argument, String value) {
        return EnumSpellings.parse(values(), ModelKind::configName, argument, value);
    }
}
