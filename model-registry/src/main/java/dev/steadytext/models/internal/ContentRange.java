package dev.steadytext.models.internal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code Content-Range} response header: {@code bytes 100-199/1000}, or {@code bytes *}{@code /1000} in a 416
 * answer (then {@code start} and {@code end} are -1); {@code total} is -1 when the server writes {@code *}.
 */
record ContentRange(long start, long end, long total) {

    private static final Pattern RANGE = Pattern.compile("bytes\\s+(?:(\\d+)-(\\d+)|\\*)/(\\d+|\\*)\\s*");

    static Optional<ContentRange> parse(String header) {
        Matcher m = RANGE.matcher(header == null ? "" : header.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long start = m.group(1) == null ? -1 : Long.parseLong(m.group(1));
        long end = m.group(2) == null ? -1 : Long.parseLong(m.group(2));
        long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
        return Optional.of(new ContentRange(start, end, total));
    }
}
