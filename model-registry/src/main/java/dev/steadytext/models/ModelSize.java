package dev.steadytext.models;

import java.util.Locale;

/**
 * A model's size class, as in SteadyText's {@code size} argument: {@code mini} for tests and CI, {@code small} for
 * everyday tasks, {@code large} when quality matters more than speed.
 */
public enum ModelSize {
    MINI,
    SMALL,
    LARGE;

    /** {@code mini}, {@code small} or {@code large}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The size spelled {@code value} (case-insensitive).
     *
     * @param argument the argument or configuration key that gave the value, named in the error message
     * @throws IllegalArgumentException naming {@code argument} when {@code value} is no size
     */
    public static ModelSize parse(String argument, String value) {
        return EnumSpellings.parse(values(), ModelSize::configName, argument, value);
    }
}
