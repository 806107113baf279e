package dev.steadytext.models;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Parses the lowercase configuration spellings of {@link ModelKind} and {@link ModelSize}. */
final class EnumSpellings {

    private EnumSpellings() {}

    static <E extends Enum<E>> E parse(E[] values, Function<E, String> spelling, String argument, String value) {
        String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (E candidate : values) {
            if (spelling.apply(candidate).equals(wanted)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException(argument + ": must be one of " + list(values, spelling) + ", got '" + value + "'");
    }

    static <E extends Enum<E>> String list(E[] values, Function<E, String> spelling) {
        return Arrays.stream(values).map(spelling).collect(Collectors.joining(", "));
    }
}
