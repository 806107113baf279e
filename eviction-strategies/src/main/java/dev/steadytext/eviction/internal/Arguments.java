package dev.steadytext.eviction.internal;

import dev.steadytext.api.eviction.CacheEntry;
import java.util.Objects;

/** Checks of the arguments every tracker receives, with messages that name the argument. */
final class Arguments {

    private Arguments() {
    }

    static String key(String key) {
        return Objects.requireNonNull(key, "key");
    }

    static CacheEntry entry(CacheEntry entry) {
        return Objects.requireNonNull(entry, "entry");
    }

    static int victimCount(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        return count;
    }

    /** Formats a score for {@code describe}: three significant digits are what a user reads. */
    static String score(String label, double value) {
        return label + "=" + String.format(java.util.Locale.ROOT, "%.3g", value);
    }
}
