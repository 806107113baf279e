package dev.steadytext.api.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A loaded model as the cache sees it: everything that can change an output byte.
 *
 * <p>The {@link #fingerprint()} is part of every cache key, so two workers produce interchangeable cache entries only
 * when they run the same model file ({@code modelSha256}) through the same backend build ({@code backend},
 * {@code backendVersion}, which includes the native library and CPU instruction-set class) with the same
 * output-relevant settings ({@code settings}, a canonical {@code key=value;...} string chosen by the backend).
 *
 * @param kind what the model computes
 * @param name a human name, such as the model file's base name; not part of the fingerprint
 * @param backend the backend's name, such as {@code llama.cpp} or {@code onnxruntime}
 * @param backendVersion backend library version plus native build and instruction-set class
 * @param modelSha256 lowercase hex SHA-256 of the model file
 * @param settings canonical backend settings that can change outputs
 * @param dimension the embedding dimension, or 0 for generation models
 */
public record ModelDescriptor(
        ModelKind kind,
        String name,
        String backend,
        String backendVersion,
        String modelSha256,
        String settings,
        int dimension) {

    public ModelDescriptor {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(backendVersion, "backendVersion");
        Objects.requireNonNull(modelSha256, "modelSha256");
        Objects.requireNonNull(settings, "settings");
        if (!modelSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("modelSha256 must be 64 lowercase hex digits: " + modelSha256);
        }
        if (dimension < 0) {
            throw new IllegalArgumentException("dimension must not be negative: " + dimension);
        }
    }

    /** Lowercase hex SHA-256 over a canonical encoding of every field but {@code name}. */
    public String fingerprint() {
        String canonical = "steadytext-model-v1\n"
                + "kind=" + kind.sqlName() + "\n"
                + "backend=" + backend + "\n"
                + "backend_version=" + backendVersion + "\n"
                + "model_sha256=" + modelSha256 + "\n"
                + "settings=" + settings + "\n"
                + "dimension=" + dimension + "\n";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
