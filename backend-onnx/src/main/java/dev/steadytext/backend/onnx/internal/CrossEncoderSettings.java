package dev.steadytext.backend.onnx.internal;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a cross-encoder is loaded.
 *
 * @param modelPath the {@code .onnx} file
 * @param tokenizerPath its Hugging Face {@code tokenizer.json} (a BERT WordPiece tokenizer)
 * @param name a human name; not part of the fingerprint
 * @param intraOpThreads ONNX Runtime intra-op threads
 * @param maxBatchSize the most pairs one model run takes
 * @param maxSequenceLength the longest pair, special tokens included; longer pairs are truncated
 */
record CrossEncoderSettings(Path modelPath, Path tokenizerPath, String name, int intraOpThreads, int maxBatchSize,
        int maxSequenceLength) {

    CrossEncoderSettings {
        Objects.requireNonNull(modelPath, "modelPath");
        Objects.requireNonNull(tokenizerPath, "tokenizerPath");
        Objects.requireNonNull(name, "name");
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be at least 1: " + intraOpThreads);
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be at least 1: " + maxBatchSize);
        }
        if (maxSequenceLength <= PairEncoding.SPECIAL_TOKENS) {
            throw new IllegalArgumentException("maxSequenceLength must be more than " + PairEncoding.SPECIAL_TOKENS
                    + ": " + maxSequenceLength);
        }
    }

    /** The descriptor's settings: what can change a score (the batch size cannot: see the load-time check). */
    String canonical(String tokenizerSha256) {
        return "cross_encoder;max_seq_len=" + maxSequenceLength + ";truncation=longest_first;intra_op_threads="
                + intraOpThreads + ";score=sigmoid;tokenizer_sha256=" + tokenizerSha256.substring(0, 16);
    }
}
