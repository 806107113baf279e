package dev.steadytext.api.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Canonical cache keys, computed exactly as the SQL function {@code steadytext_cache_key} computes them.
 *
 * <p>The key is the lowercase hex SHA-256 of this UTF-8 text, in which every value is length-prefixed with its UTF-8
 * byte count so that no choice of values can make two different requests encode alike:
 *
 * <pre>
 * steadytext-cache-key-v1\n
 * kind=&lt;n&gt;:&lt;kind&gt;\n
 * model=&lt;n&gt;:&lt;model fingerprint&gt;\n
 * param.&lt;name&gt;=&lt;n&gt;:&lt;value&gt;\n      one line per parameter, names in ascending code-point order
 * input=&lt;n&gt;:&lt;input&gt;\n
 * </pre>
 *
 * <p>Parameters are exactly those that can change an output byte: for generation {@code eos_string},
 * {@code max_tokens} and {@code seed}; embeddings take none (the seed cannot change a vector, so it is left out and
 * calls that differ only in seed share one entry); a reranking score is keyed per document, with the document as
 * the input and {@code query} and {@code task} as parameters (no seed either: scoring samples nothing). Integers are written in decimal without sign or leading zeros.
 * Shared test vectors ({@code cache-key-vectors.tsv}) hold the Java and SQL implementations to the same bytes.
 */
public final class CacheKey {

    /** The first line of the canonical encoding; a new encoding gets a new version and so new keys. */
    public static final String ENCODING_VERSION = "steadytext-cache-key-v1";

    private CacheKey() {
    }

    /** The key of a greedy generation. */
    public static String forGeneration(String modelFingerprint, int maxTokens, int seed, String eosString, String prompt) {
        return compute(CacheKind.GENERATION, modelFingerprint,
                Map.of("eos_string", eosString, "max_tokens", Integer.toString(maxTokens), "seed", Integer.toString(seed)),
                prompt);
    }

    /** The key of one text's embedding. */
    public static String forEmbedding(String modelFingerprint, String text) {
        return compute(CacheKind.EMBEDDING, modelFingerprint, Map.of(), text);
    }

    /**
     * The key of one document's relevance score for a query under a task (the instruction the query is read with):
     * one cache entry per scored pair, so that a later call with some of the same documents reuses their scores.
     */
    public static String forReranking(String modelFingerprint, String task, String query, String document) {
        return compute(CacheKind.RERANKING, modelFingerprint, Map.of("query", query, "task", task), document);
    }

    /** The key of any request: its kind, model, output-relevant parameters and input. */
    public static String compute(CacheKind kind, String modelFingerprint, Map<String, String> params, String input) {
        Objects.requireNonNull(kind, "kind");
        StringBuilder canonical = new StringBuilder(ENCODING_VERSION).append('\n');
        field(canonical, "kind", kind.sqlName());
        field(canonical, "model", modelFingerprint);
        SortedMap<String, String> sorted = new TreeMap<>(params);
        sorted.forEach((name, value) -> field(canonical, "param." + name, value));
        field(canonical, "input", input);
        return sha256Hex(canonical.toString());
    }

    private static void field(StringBuilder out, String name, String value) {
        Objects.requireNonNull(value, name);
        out.append(name).append('=')
                .append(value.getBytes(StandardCharsets.UTF_8).length).append(':')
                .append(value).append('\n');
    }

    private static String sha256Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
