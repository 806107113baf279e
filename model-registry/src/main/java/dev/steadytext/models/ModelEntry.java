package dev.steadytext.models;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A named model of the registry.
 *
 * @param name the registry name, lowercase ({@code gemma-3-1b}); what the SQL argument {@code model} gives (a model
 *     named by {@code model_repo} and {@code model_filename} is called {@code owner/name/file}, lowercased)
 * @param kind what the model computes
 * @param size its size class, when it has one (models named only by repository and file have none)
 * @param source where its file comes from
 * @param sha256 the file's lowercase hex SHA-256 when the registry knows it; otherwise a download is checked against
 *     the server's metadata
 * @param bytes the file's size, when known (shown to people; the checksum is what verifies a file)
 * @param licence the model's licence, such as {@code Apache-2.0}; empty when unknown
 * @param architecture the GGUF {@code general.architecture} (such as {@code gemma3}, {@code qwen3}) or the model
 *     family; empty when unknown
 * @param notes context length, embedding dimension and the like, for people
 */
public record ModelEntry(
        String name,
        ModelKind kind,
        Optional<ModelSize> size,
        ModelSource source,
        Optional<String> sha256,
        OptionalLong bytes,
        String licence,
        String architecture,
        String notes) {

    // '/' only appears in the names of models given by repository and file (owner/name/file).
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._/+-]*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ModelEntry {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: must be lowercase letters, digits and . _ -, starting with a"
                    + " letter or digit, got '" + name + "'");
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(source, "source");
        sha256 = Objects.requireNonNull(sha256, "sha256").map(hex -> hex.toLowerCase(Locale.ROOT));
        if (sha256.isPresent() && !SHA256.matcher(sha256.get()).matches()) {
            throw new IllegalArgumentException("sha256: must be 64 hex digits, got '" + sha256.get() + "'");
        }
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.isPresent() && bytes.getAsLong() < 0) {
            throw new IllegalArgumentException("bytes: must not be negative, got " + bytes.getAsLong());
        }
        Objects.requireNonNull(licence, "licence");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(notes, "notes");
    }
}
