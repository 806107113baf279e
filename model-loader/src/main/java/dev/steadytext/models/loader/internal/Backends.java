package dev.steadytext.models.loader.internal;

import java.nio.file.Path;
import java.util.List;

/** The model backends of the platform, as the loader sees them: what they serve, and starting one more. */
interface Backends {

    /** The generation models served now. */
    List<LoadedModel> generators();

    /** The embedding models served now. */
    List<LoadedModel> embedders();

    /** The reranking models served now. */
    List<LoadedModel> rerankers();

    /**
     * Starts a llama.cpp backend for a GGUF file and waits until it serves the model and the worker has registered it.
     *
     * @param name the model's name in {@code steadytext_models}
     * @param isDefault whether it serves the calls that name no model (registered with {@code is_default})
     * @throws LoadFailure with the backend's reason when it cannot load the file, or when it takes too long
     */
    LoadedModel startGenerator(String name, Path file, boolean isDefault) throws LoadFailure, InterruptedException;

    /** As {@link #startGenerator}, for a GGUF reranker model (llama.cpp's reranker backend), never the default. */
    LoadedModel startReranker(String name, Path file) throws LoadFailure, InterruptedException;

    /** Waits until the worker has registered a served model, so that SQL callers can key requests to it. */
    LoadedModel awaitRegistered(LoadedModel model) throws LoadFailure, InterruptedException;
}
