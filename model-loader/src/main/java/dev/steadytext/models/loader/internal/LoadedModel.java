package dev.steadytext.models.loader.internal;

import java.util.Objects;

/**
 * A model a backend of this platform serves.
 *
 * @param name its name in {@code steadytext_models}
 * @param fingerprint its fingerprint, part of every cache key
 * @param modelSha256 the SHA-256 of its file
 * @param isDefault whether it serves calls that name no model
 */
record LoadedModel(String name, String fingerprint, String modelSha256, boolean isDefault) {

    LoadedModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(modelSha256, "modelSha256");
    }
}
