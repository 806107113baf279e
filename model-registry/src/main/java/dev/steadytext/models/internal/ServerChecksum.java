package dev.steadytext.models.internal;

import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The SHA-256 a Hugging Face-style server publishes for a file: for files stored with Git LFS (every model file),
 * Hugging Face sends the LFS object's SHA-256 as {@code X-Linked-Etag} on its redirecting answer, and often as the
 * {@code ETag}. Only a value of exactly 64 hex digits counts: other ETags (a Git blob's SHA-1, a CDN's MD5) are not
 * SHA-256 checksums.
 */
final class ServerChecksum {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private ServerChecksum() {}

    /** The checksum from any answer of the redirect chain, {@code X-Linked-Etag} first. */
    static Optional<String> of(HttpResponse<?> response) {
        Optional<String> linked = fromChain(response, "X-Linked-Etag");
        return linked.isPresent() ? linked : fromChain(response, "ETag");
    }

    private static Optional<String> fromChain(HttpResponse<?> response, String header) {
        for (HttpResponse<?> r = response; r != null; r = r.previousResponse().orElse(null)) {
            Optional<String> value = r.headers().firstValue(header).flatMap(ServerChecksum::sha256);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    /** The SHA-256 in an entity tag such as {@code "ab12…"} or {@code W/"ab12…"}, if it is one. */
    static Optional<String> sha256(String etag) {
        String value = etag.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        return SHA256.matcher(value).matches() ? Optional.of(value.toLowerCase(Locale.ROOT)) : Optional.empty();
    }
}
