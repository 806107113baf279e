package dev.steadytext.models.loader.internal;

import dev.steadytext.models.ModelKind;
import dev.steadytext.models.ModelRequest;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A claimed row of {@code steadytext_model_requests}: the model arguments of a SQL call that named a model no live
 * worker served.
 *
 * @param id the request's id
 * @param kind what the model must compute
 * @param arguments {@code model}, {@code model_repo}, {@code model_filename}, {@code size} as the caller gave them
 * @param mayDownload whether a caller allowed to make the worker download is waiting for it
 */
record LoadRequest(UUID id, ModelKind kind, ModelRequest arguments, boolean mayDownload) {

    LoadRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(arguments, "arguments");
    }

    /** The same request, for a caller who may download. */
    LoadRequest downloadAllowed() {
        return new LoadRequest(id, kind, arguments, true);
    }

    /** Whether the call named no model: it wants the default model of its kind. */
    boolean wantsDefault() {
        return Stream.of(arguments.model(), arguments.size(), arguments.modelRepo(), arguments.modelFilename())
                .allMatch(argument -> argument == null || argument.isBlank());
    }

    /**
     * The request for people: {@code generation model (model=tiny)}, {@code generation model (size=small)},
     * {@code default generation model}.
     */
    String describe() {
        if (wantsDefault()) {
            return "default " + kind.configName() + " model";
        }
        return Stream.of(given("model", arguments.model()), given("size", arguments.size()),
                        given("model_repo", arguments.modelRepo()), given("model_filename", arguments.modelFilename()))
                .filter(Objects::nonNull)
                .collect(Collectors.joining(", ", kind.configName() + " model (", ")"));
    }

    private static String given(String name, String value) {
        return value == null ? null : name + "=" + value;
    }
}
