package dev.steadytext.models;

import java.util.Optional;

/**
 * The model arguments of a SQL call, as given: {@code model}, {@code model_repo}, {@code model_filename},
 * {@code size}. A null or blank argument counts as not given.
 */
public record ModelRequest(String model, String modelRepo, String modelFilename, String size) {

    /** No model arguments: the default model of the kind. */
    public static final ModelRequest DEFAULT = new ModelRequest(null, null, null, null);

    /** Only {@code model}. */
    public static ModelRequest named(String model) {
        return new ModelRequest(model, null, null, null);
    }

    /** Only {@code size}. */
    public static ModelRequest sized(String size) {
        return new ModelRequest(null, null, null, size);
    }

    /** Only {@code model_repo} and {@code model_filename}. */
    public static ModelRequest file(String modelRepo, String modelFilename) {
        return new ModelRequest(null, modelRepo, modelFilename, null);
    }

    Optional<String> givenModel() {
        return given(model);
    }

    Optional<String> givenRepo() {
        return given(modelRepo);
    }

    Optional<String> givenFilename() {
        return given(modelFilename);
    }

    Optional<String> givenSize() {
        return given(size);
    }

    private static Optional<String> given(String argument) {
        return argument == null || argument.isBlank() ? Optional.empty() : Optional.of(argument.trim());
    }
}
