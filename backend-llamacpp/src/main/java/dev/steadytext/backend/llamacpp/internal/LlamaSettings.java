package dev.steadytext.backend.llamacpp.internal;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a GGUF model is loaded: everything that can change an output byte, plus its human name.
 *
 * @param modelPath the GGUF file
 * @param name a human name for the model; not part of the fingerprint
 * @param contextSize tokens of context (prompt plus generated text)
 * @param batchSize logical and physical batch size for prompt processing
 * @param threads CPU threads for decoding and prompt processing
 */
record LlamaSettings(Path modelPath, String name, int contextSize, int batchSize, int threads) {

    LlamaSettings {
        Objects.requireNonNull(modelPath, "modelPath");
        Objects.requireNonNull(name, "name");
        requirePositive("contextSize", contextSize);
        requirePositive("batchSize", batchSize);
        requirePositive("threads", threads);
    }

    /** Settings with the file's base name (without {@code .gguf}) as the model name. */
    static LlamaSettings of(Path modelPath, int contextSize, int batchSize, int threads) {
        return new LlamaSettings(modelPath, baseName(modelPath), contextSize, batchSize, threads);
    }

    static String baseName(Path modelPath) {
        String file = modelPath.getFileName().toString();
        return file.endsWith(".gguf") ? file.substring(0, file.length() - ".gguf".length()) : file;
    }

    /**
     * The canonical settings string of the model descriptor.
     *
     * <p>Threads are included although measurements found 1 and 2 threads bitwise identical: that was measured on a
     * few model shapes only, and a needless cache miss is cheaper than a wrong hit.
     */
    String canonical() {
        return "n_ctx=" + contextSize + ";n_batch=" + batchSize + ";threads=" + threads + ";parallel=1;sampler=greedy";
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1: " + value);
        }
    }
}
