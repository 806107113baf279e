package dev.steadytext.backend.onnx.internal;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How an embedding model is loaded.
 *
 * @param modelPath the {@code .onnx} file
 * @param tokenizerPath its Hugging Face {@code tokenizer.json}
 * @param name a human name; not part of the fingerprint
 * @param intraOpThreads ONNX Runtime intra-op threads (the session's own pool)
 * @param maxBatchSize the most texts one {@code embed} call accepts
 */
record OnnxSettings(Path modelPath, Path tokenizerPath, String name, int intraOpThreads, int maxBatchSize) {

    /** sentence-transformers' {@code max_seq_length} for all-MiniLM-L6-v2, including [CLS] and [SEP]. */
    static final int MAX_SEQUENCE_LENGTH = 256;

    OnnxSettings {
        Objects.requireNonNull(modelPath, "modelPath");
        Objects.requireNonNull(tokenizerPath, "tokenizerPath");
        Objects.requireNonNull(name, "name");
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be at least 1: " + intraOpThreads);
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be at least 1: " + maxBatchSize);
        }
    }

    /** The canonical settings string of the model descriptor; the batch size is absent as it changes no bit. */
    String canonical(String tokenizerSha256) {
        return "pooling=mean;normalize=l2;max_seq_len=" + MAX_SEQUENCE_LENGTH + ";intra_op_threads=" + intraOpThreads
                + ";tokenizer_sha256=" + tokenizerSha256.substring(0, 16);
    }
}
