package dev.steadytext.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The shared structured-input vectors ({@code structured-input-vectors.tsv}): JSON schemas, regular expressions and
 * choice lists that the SQL checks of structured generation and the Java grammar compilers must both accept, or both
 * reject with the same SQLSTATE and a message containing the same text.
 *
 * <p>Format: UTF-8, tab-separated columns {@code name kind argument sqlstate message}, {@code #} comments, escapes as
 * in {@link CacheKeyVectors}. {@code kind} is {@code json_schema}, {@code regex} or {@code choices} (argument: a JSON
 * array of strings and nulls); {@code sqlstate} is {@code ok}, {@code 22023} or {@code 22004}; {@code \N} as argument
 * is SQL NULL.
 */
public final class StructuredInputVectors {

    public static final String RESOURCE = "/dev/steadytext/testkit/structured-input-vectors.tsv";

    /** One vector; {@code argument} is null for a NULL argument. */
    public record Vector(String name, String kind, String argument, String sqlstate, String message) {

        /** Whether both sides must accept the argument. */
        public boolean accepted() {
            return sqlstate.equals("ok");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private StructuredInputVectors() {
    }

    public static List<Vector> load() {
        try (InputStream in = StructuredInputVectors.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the testkit jar");
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(StructuredInputVectors::vector)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Vector vector(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 5) {
            throw new IllegalStateException("structured vector line needs 5 columns, has " + f.length + ": " + line);
        }
        return new Vector(f[0], f[1], CacheKeyVectors.unescape(f[2]), f[3], CacheKeyVectors.unescape(f[4]));
    }
}
