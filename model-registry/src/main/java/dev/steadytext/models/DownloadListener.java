package dev.steadytext.models;

/**
 * Receives the progress of a model download: the CLI draws a progress bar from it, the worker logs it. Called on the
 * downloading thread, at most a few times a second while bytes arrive, and once at each change of phase; it should
 * return quickly.
 */
@FunctionalInterface
public interface DownloadListener {

    /** A listener that ignores everything. */
    DownloadListener NONE = progress -> { };

    void progress(DownloadProgress progress);
}
