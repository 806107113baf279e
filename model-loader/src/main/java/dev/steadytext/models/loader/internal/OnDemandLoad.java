package dev.steadytext.models.loader.internal;

import dev.steadytext.backend.support.Sha256;
import dev.steadytext.models.ModelCache;
import dev.steadytext.models.ModelEntry;
import dev.steadytext.models.ModelFileException;
import dev.steadytext.models.ModelKind;
import dev.steadytext.models.ModelResolutionException;
import dev.steadytext.models.ModelSettings;
import dev.steadytext.models.ModelSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Loads the model one request names: resolves the call's arguments with the registry, gets the model's file through
 * the model cache (downloading it when allowed), and has a backend serve it. A model the platform already serves,
 * under the registry's name or from the same file, is answered as it is: the same file is never loaded twice.
 *
 * <p>GGUF generation and reranker models load on demand, into llama.cpp (its generation and its reranker backend).
 * Embedding models and ONNX cross-encoders load with the platform (the bundled ONNX embedding model, or what their
 * backends' configurations name); a request naming one that is served gets it, any other fails saying which backend
 * it would need.
 */
final class OnDemandLoad {

    private final Backends backends;

    OnDemandLoad(Backends backends) {
        this.backends = backends;
    }

    /**
     * The served model the request names, loaded first if need be.
     *
     * @throws LoadFailure naming the model and the reason, for the waiting callers
     */
    LoadedModel load(LoadRequest request, ModelSettings settings, Progress progress)
            throws LoadFailure, InterruptedException {
        ModelEntry entry;
        try {
            entry = settings.registry().resolve(request.kind(), request.arguments());
        } catch (ModelResolutionException e) {
            throw LoadFailure.invalidArgument(e.getMessage());
        }
        progress.step("resolved to " + entry.name());
        if (request.kind() == ModelKind.GENERATION && request.wantsDefault()) {
            // SQL asks while it sees no default served; one may have registered since: never start a second.
            Optional<LoadedModel> servedDefault = backends.generators().stream().filter(LoadedModel::isDefault)
                    .findFirst();
            if (servedDefault.isPresent()) {
                progress.step("the default is served already, as " + servedDefault.get().name());
                return backends.awaitRegistered(servedDefault.get());
            }
        }
        return switch (request.kind()) {
            case GENERATION -> llamaCpp(entry, request.mayDownload(), settings, progress, backends.generators(),
                    (name, file) -> backends.startGenerator(name, file, request.wantsDefault()));
            case EMBEDDING -> backends.awaitRegistered(sameModel(entry, backends.embedders())
                    .orElseThrow(() -> noBackend(entry)));
            case RERANKING -> isGguf(entry)
                    ? llamaCpp(entry, request.mayDownload(), settings, progress, backends.rerankers(),
                            backends::startReranker)
                    : backends.awaitRegistered(sameModel(entry, backends.rerankers())
                            .orElseThrow(() -> noBackend(entry)));
        };
    }

    /** Starts a llama.cpp backend of a kind for a model. */
    @FunctionalInterface
    private interface Starter {
        LoadedModel start(String name, Path file) throws LoadFailure, InterruptedException;
    }

    /** A GGUF model for llama.cpp: the one served under its name or from its file, else its file fetched and loaded. */
    private LoadedModel llamaCpp(ModelEntry entry, boolean mayDownload, ModelSettings settings, Progress progress,
            List<LoadedModel> served, Starter starter) throws LoadFailure, InterruptedException {
        if (entry.source() instanceof ModelSource.Bundled) {
            throw noBackend(entry);
        }
        Optional<LoadedModel> named = byName(entry, served);
        if (named.isPresent()) {
            return backends.awaitRegistered(named.get());
        }
        refuseArchitectureLlamaCppCannotLoad(entry);
        Path file = fetch(entry, mayDownload, settings, progress);
        String sha256 = entry.sha256().isPresent() ? entry.sha256().get() : hash(entry, file, progress);
        Optional<LoadedModel> sameFile = bySha256(sha256, served);
        if (sameFile.isPresent()) {
            progress.step("served already, as " + sameFile.get().name());
            return backends.awaitRegistered(sameFile.get());
        }
        progress.step("loading into llama.cpp");
        return starter.start(entry.name(), file);
    }

    /**
     * Architectures the llama.cpp bundled in java-llama.cpp 4.2.0 (build b4916) does not know: a registry entry
     * declaring one fails before its file (gigabytes, for these) is downloaded, rather than after.
     */
    private static final Set<String> ARCHITECTURES_LLAMA_CPP_CANNOT_LOAD = Set.of("qwen3", "qwen3moe", "gemma3n");

    private static void refuseArchitectureLlamaCppCannotLoad(ModelEntry entry) throws LoadFailure {
        String architecture = entry.architecture().toLowerCase(Locale.ROOT);
        if (ARCHITECTURES_LLAMA_CPP_CANNOT_LOAD.contains(architecture)) {
            throw LoadFailure.of("model " + entry.name() + " has the architecture " + architecture + ", which the"
                    + " llama.cpp bundled with this platform (java-llama.cpp 4.2.0) cannot load; nothing was"
                    + " downloaded. Name a model of another architecture (steadytext models list shows them), or"
                    + " configure one by path in " + ModelSettings.FILE_NAME);
        }
    }

    /** The model's file, from the cache or downloaded into it. */
    private static Path fetch(ModelEntry entry, boolean mayDownload, ModelSettings settings, Progress progress)
            throws LoadFailure, InterruptedException {
        try (ModelCache cache = new ModelCache(settings)) {
            if (!mayDownload && settings.downloadsAllowed() && entry.source() instanceof ModelSource.Remote
                    && cache.state(entry) != ModelCache.State.PRESENT) {
                throw LoadFailure.downloadRefused("model " + entry.name() + " is not in the worker's model cache, and"
                        + " only steadytext_admin may have the worker download it (config"
                        + " allow_model_downloads_from_sql is false): place the file at "
                        + cache.location(entry).orElseThrow() + ", downloaded from "
                        + cache.downloadUrl(entry).orElseThrow()
                        + entry.sha256().map(sha -> " (SHA-256 " + sha + ")").orElse("")
                        + ", or run 'steadytext models pull " + entry.name() + "' on the worker's machine, or have an"
                        + " admin call it once");
            }
            return cache.ensureAvailable(entry, progress::download);
        } catch (ModelFileException e) {
            throw LoadFailure.of(e.getMessage(), e);
        } catch (IOException e) {
            throw LoadFailure.of("model " + entry.name() + ": its file could not be fetched: " + e.getMessage(), e);
        }
    }

    private static String hash(ModelEntry entry, Path file, Progress progress) throws LoadFailure {
        progress.step("computing the SHA-256 of " + file);
        try {
            return Sha256.of(file);
        } catch (IOException e) {
            throw LoadFailure.of("model " + entry.name() + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A served model of the registry's name (names compare ignoring case, as the registry's do), or file. */
    private static Optional<LoadedModel> sameModel(ModelEntry entry, List<LoadedModel> served) {
        return byName(entry, served).or(() -> entry.sha256().flatMap(sha -> bySha256(sha, served)));
    }

    private static Optional<LoadedModel> byName(ModelEntry entry, List<LoadedModel> served) {
        return served.stream().filter(model -> model.name().equalsIgnoreCase(entry.name())).findFirst();
    }

    /** A served model of this file; the default model first, so that its name is the one callers see. */
    private static Optional<LoadedModel> bySha256(String sha256, List<LoadedModel> served) {
        return served.stream()
                .filter(model -> model.modelSha256().equals(sha256))
                .min(Comparator.comparing(model -> !model.isDefault()));
    }

    /** The model needs a backend that does not load models on demand here. */
    private static LoadFailure noBackend(ModelEntry entry) {
        String kind = entry.kind().configName();
        String start = "model " + entry.name() + " is " + (entry.kind() == ModelKind.EMBEDDING ? "an " : "a ") + kind
                + " model";
        if (isGguf(entry)) {
            return LoadFailure.of(start + " in GGUF format, and this platform has no backend for GGUF " + kind
                    + " models (llama.cpp serves generation and reranker models here)"
                    + (entry.kind() == ModelKind.EMBEDDING
                    ? "; embeddings come from ONNX Runtime: all-minilm-l6-v2, bundled, or an ONNX model configured in"
                    + " dev.steadytext.backend.onnx.cfg" : ""));
        }
        if (entry.source() instanceof ModelSource.Bundled bundled) {
            return LoadFailure.of(start + ", bundled (" + bundled.provider() + "), which does not serve it on this"
                    + " worker");
        }
        return LoadFailure.of(start + " (" + entry.source().describe() + "); only GGUF generation and reranker"
                + " models load on demand: configure it for its backend instead"
                + (entry.kind() == ModelKind.RERANKING ? " (an ONNX cross-encoder in"
                + " dev.steadytext.backend.onnx.crossencoder.cfg, see docs/reranking.md)" : ""));
    }

    private static boolean isGguf(ModelEntry entry) {
        String file = switch (entry.source()) {
            case ModelSource.Remote remote -> remote.file();
            case ModelSource.Local local -> local.path().toString();
            case ModelSource.Bundled bundled -> "";
        };
        return file.toLowerCase(Locale.ROOT).endsWith(".gguf");
    }
}
