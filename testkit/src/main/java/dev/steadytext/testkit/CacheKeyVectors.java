package dev.steadytext.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shared cache-key test vectors ({@code cache-key-vectors.tsv}): inputs and the key both the Java
 * {@code CacheKey} and the SQL {@code steadytext_cache_key_canonical} must give for them.
 *
 * <p>Format: UTF-8, one vector per line, tab-separated columns {@code name kind model max_tokens seed eos_string
 * input key}; lines starting with {@code #} are comments. Values are escaped so that any text fits on one line:
 * {@code \\} backslash, {@code \t} tab, {@code \n} newline, {@code \r} carriage return, and a value of exactly
 * {@code \N} is absent (the generation parameters of an embedding vector). A line may go on with pairs of columns
 * {@code param value}: further key parameters (structured generation's {@code json_schema}, {@code regex},
 * {@code choices}; reranking's {@code query} and {@code task}, whose input is the document).
 */
public final class CacheKeyVectors {

    public static final String RESOURCE = "/dev/steadytext/testkit/cache-key-vectors.tsv";

    /**
     * One vector; {@code maxTokens}, {@code seed} and {@code eosString} are null for embeddings; {@code extraParams}
     * are the key parameters beyond those three, usually none.
     */
    public record Vector(String name, String kind, String model, Integer maxTokens, Integer seed, String eosString,
            String input, String key, Map<String, String> extraParams) {

        @Override
        public String toString() {
            return name;
        }
    }

    private CacheKeyVectors() {
    }

    public static List<Vector> load() {
        try (InputStream in = CacheKeyVectors.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the testkit jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<Vector> vectors = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length < 8 || f.length % 2 != 0) {
                    throw new IllegalStateException("vector line needs 8 columns and pairs of parameter columns, has "
                            + f.length + ": " + line);
                }
                Map<String, String> extra = new TreeMap<>();
                for (int i = 8; i < f.length; i += 2) {
                    extra.put(unescape(f[i]), unescape(f[i + 1]));
                }
                vectors.add(new Vector(unescape(f[0]), unescape(f[1]), unescape(f[2]), integer(f[3]), integer(f[4]),
                        unescape(f[5]), unescape(f[6]), unescape(f[7]), Map.copyOf(extra)));
            }
            return vectors;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Integer integer(String field) {
        String value = unescape(field);
        return value == null ? null : Integer.valueOf(value);
    }

    /** Reverses {@link #escape}. */
    public static String unescape(String field) {
        if (field.equals("\\N")) {
            return null;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = field.charAt(++i);
            out.append(switch (next) {
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case '\\' -> '\\';
                default -> throw new IllegalArgumentException("unknown escape \\" + next + " in " + field);
            });
        }
        return out.toString();
    }

    /** Escapes a value for one TSV field; null becomes {@code \N}. */
    public static String escape(String value) {
        if (value == null) {
            return "\\N";
        }
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }
}
