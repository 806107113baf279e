package dev.steadytext.backend.llamacpp.internal;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Loads and frees java-llama.cpp models one at a time, JVM-wide. Its model set-up and its log callback are global
 * native state: two models loading at once (the configured model and one loaded on demand, say) corrupted the native
 * heap ("malloc_consolidate(): unaligned fastbin chunk detected") and aborted the JVM, and re-installing the log
 * callback frees the reference a concurrent load may be logging through.
 */
final class NativeModels {

    private static final ReentrantLock LOCK = new ReentrantLock();

    private NativeModels() {}

    /**
     * Loads a model, then takes llama.cpp's log back for the System.Logger (loading points it at common_log again).
     *
     * @throws RuntimeException as {@code new LlamaModel} does when llama.cpp cannot load the file
     */
    static LlamaModel load(ModelParameters parameters) {
        LOCK.lock();
        try {
            LlamaModel model = new LlamaModel(parameters);
            NativeLog.install();
            return model;
        } finally {
            LOCK.unlock();
        }
    }

    /** Frees a model; never while another loads. */
    static void close(LlamaModel model) {
        LOCK.lock();
        try {
            model.close();
        } finally {
            LOCK.unlock();
        }
    }
}
