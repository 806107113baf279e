package dev.steadytext.models.loader.internal;

import dev.steadytext.models.DownloadProgress;

/** Where a load stands, for the waiting callers (steadytext_model_loads) and the worker's log. */
interface Progress {

    /** A step of the load, such as {@code loading into llama.cpp}. */
    void step(String description);

    /** The download of the model's file. */
    void download(DownloadProgress progress);
}
