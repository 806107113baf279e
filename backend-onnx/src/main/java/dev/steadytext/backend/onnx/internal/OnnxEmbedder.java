package dev.steadytext.backend.onnx.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.steadytext.api.embed.Embedder;
import dev.steadytext.api.model.ModelDescriptor;
import dev.steadytext.api.model.ModelKind;
import dev.steadytext.backend.support.InstructionSet;
import dev.steadytext.backend.support.FileDigests;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An {@link Embedder} running a BERT-style sentence-embedding model with ONNX Runtime; usable without OSGi.
 *
 * <p>Texts are tokenized, truncated to {@value OnnxSettings#MAX_SEQUENCE_LENGTH} tokens and padded to the longest in
 * the batch; the last hidden state is mean-pooled over the attention mask and L2-normalised. A text's vector must not
 * depend on its batch (the cache stores vectors whatever batch computed them): padding is masked out of attention by
 * the model and out of pooling here, pooling sums only real tokens in position order, and {@link #load} checks the
 * property once at start-up on this machine's kernels.
 */
final class OnnxEmbedder implements Embedder, AutoCloseable {

    static final String BACKEND = "onnxruntime";
    static final String LIBRARY_VERSION = "onnxruntime 1.22.0";
    /** Names the tokenizer implementation; bump when {@link WordPieceTokenizer} changes behaviour. */
    static final String TOKENIZER_VERSION = "wordpiece-java/1";

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final WordPieceTokenizer tokenizer;
    private final ModelDescriptor descriptor;
    private final int maxBatchSize;
    /** Runs share the session (ONNX Runtime allows concurrent runs); closing waits for them, as it frees native memory. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private OnnxEmbedder(OrtEnvironment environment, OrtSession session, WordPieceTokenizer tokenizer,
            ModelDescriptor descriptor, int maxBatchSize) {
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.descriptor = descriptor;
        this.maxBatchSize = maxBatchSize;
    }

    /**
     * Loads the model and checks batch invariance; blocks for about a second.
     *
     * @param digests where the model's and tokenizer's digests are remembered across starts
     * @param library the prepared native libraries; {@link OrtNativeLibrary#prepare} must have run before any ONNX
     *     Runtime class is touched
     * @throws IOException if a file cannot be read or is not a supported model or tokenizer
     * @throws IllegalStateException if vectors on this machine depend on their batch
     */
    static OnnxEmbedder load(OnnxSettings settings, OrtNativeLibrary library, FileDigests digests) throws IOException {
        OrtSessions.requireReadable(List.of(settings.modelPath(), settings.tokenizerPath()), "set modelPath and"
                + " tokenizerPath to an ONNX model and its tokenizer.json, or leave both empty for the bundled model");
        String modelSha256 = digests.of(settings.modelPath());
        String tokenizerSha256 = digests.of(settings.tokenizerPath());
        WordPieceTokenizer tokenizer = WordPieceTokenizer.load(settings.tokenizerPath());
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession session = OrtSessions.open(environment, settings.modelPath(), settings.intraOpThreads(),
                "set modelPath to an ONNX sentence-embedding model");
        OnnxEmbedder embedder = null;
        try {
            int dimension = dimension(session);
            String backendVersion = LIBRARY_VERSION + " libonnxruntime-sha256=" + library.sha256().substring(0, 16) + " "
                    + InstructionSet.detect() + " tokenizer=" + TOKENIZER_VERSION;
            ModelDescriptor descriptor = new ModelDescriptor(ModelKind.EMBEDDING, settings.name(), BACKEND,
                    backendVersion, modelSha256, settings.canonical(tokenizerSha256), dimension);
            embedder = new OnnxEmbedder(environment, session, tokenizer, descriptor, settings.maxBatchSize());
            embedder.checkBatchInvariance();
            return embedder;
        } finally {
            if (embedder == null) {
                OrtSessions.closeQuietly(session);
            }
        }
    }

    /** The hidden size, from the output's declared shape [batch, sequence, hidden]. */
    private static int dimension(OrtSession session) throws IOException {
        try {
            var outputs = session.getOutputInfo();
            var inputs = session.getInputNames();
            if (!outputs.containsKey("last_hidden_state") || !inputs.containsAll(
                    List.of("input_ids", "attention_mask", "token_type_ids"))) {
                throw new IOException("model inputs " + inputs + " and outputs " + outputs.keySet() + " are not BERT's"
                        + " (input_ids, attention_mask, token_type_ids -> last_hidden_state)");
            }
            long[] shape = ((ai.onnxruntime.TensorInfo) outputs.get("last_hidden_state").getInfo()).getShape();
            if (shape.length != 3 || shape[2] < 1) {
                throw new IOException("last_hidden_state has shape " + Arrays.toString(shape) + ", expected"
                        + " [batch, sequence, hidden]");
            }
            return (int) shape[2];
        } catch (OrtException e) {
            throw new IOException("cannot read the model's inputs and outputs: " + e.getMessage(), e);
        }
    }

    /**
     * Embeds a short and a long text alone and together: on a machine whose kernels make vectors depend on their
     * batch, serving would poison the cache, so refuse to start instead.
     */
    private void checkBatchInvariance() {
        String shortText = "hello world";
        String longText = "Deterministic embeddings must not depend on the batch they were computed in. ".repeat(8);
        float[] aloneShort = embed(List.of(shortText)).get(0);
        float[] aloneLong = embed(List.of(longText)).get(0);
        List<float[]> together = embed(List.of(shortText, longText));
        if (!Arrays.equals(aloneShort, together.get(0)) || !Arrays.equals(aloneLong, together.get(1))) {
            throw new IllegalStateException("ONNX Runtime on this machine (" + InstructionSet.detect() + ") gives"
                    + " different vectors for a text alone and in a padded batch; refusing to serve embeddings that"
                    + " would differ between cache entries. Report this with the CPU model; try intraOpThreads=1");
        }
    }

    @Override
    public ModelDescriptor model() {
        return descriptor;
    }

    @Override
    public int maxBatchSize() {
        return maxBatchSize;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        if (texts.size() > maxBatchSize) {
            throw new IllegalArgumentException("texts has " + texts.size() + " entries, more than maxBatchSize "
                    + maxBatchSize + "; split the batch");
        }
        if (texts.isEmpty()) {
            return List.of();
        }
        int[][] ids = new int[texts.size()][];
        for (int i = 0; i < ids.length; i++) {
            String text = texts.get(i);
            if (text == null) {
                throw new IllegalArgumentException("texts[" + i + "] is null");
            }
            ids[i] = tokenizer.encode(text, OnnxSettings.MAX_SEQUENCE_LENGTH);
        }
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("model " + descriptor.name() + " is closed; its backend was stopped");
            }
            float[][] vectors = new float[ids.length][];
            for (int[] group : LengthGroups.of(ids)) {
                int[][] groupIds = new int[group.length][];
                int length = 0;
                for (int j = 0; j < group.length; j++) {
                    groupIds[j] = ids[group[j]];
                    length = Math.max(length, groupIds[j].length);
                }
                List<float[]> groupVectors = run(groupIds, length);
                for (int j = 0; j < group.length; j++) {
                    vectors[group[j]] = groupVectors.get(j);
                }
            }
            return List.of(vectors);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to embed " + texts.size() + " texts with model "
                    + descriptor.name() + ": " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private List<float[]> run(int[][] ids, int length) throws OrtException {
        int batch = ids.length;
        long[] inputIds = new long[batch * length];
        long[] mask = new long[batch * length];
        // Padding: id 0 ([PAD]) with mask 0; token types are all 0 for single sentences.
        for (int i = 0; i < batch; i++) {
            for (int t = 0; t < ids[i].length; t++) {
                inputIds[i * length + t] = ids[i][t];
                mask[i * length + t] = 1;
            }
        }
        long[] shape = {batch, length};
        try (OnnxTensor idsTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(inputIds), shape);
                OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
                OnnxTensor typesTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[batch * length]),
                        shape);
                OrtSession.Result result = session.run(Map.of("input_ids", idsTensor, "attention_mask", maskTensor,
                        "token_type_ids", typesTensor), java.util.Set.of("last_hidden_state"))) {
            FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
            int dimension = descriptor.dimension();
            List<float[]> vectors = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                vectors.add(meanPoolNormalize(hidden, i, length, ids[i].length, dimension));
            }
            return vectors;
        }
    }

    /**
     * Mean over the first {@code tokens} positions of row {@code row}, then L2 normalisation, in double precision.
     * Only real tokens are read, always in the same order, so padding can never change a bit.
     */
    static float[] meanPoolNormalize(FloatBuffer hidden, int row, int length, int tokens, int dimension) {
        double[] sum = new double[dimension];
        for (int t = 0; t < tokens; t++) {
            int base = (row * length + t) * dimension;
            for (int d = 0; d < dimension; d++) {
                sum[d] += hidden.get(base + d);
            }
        }
        double norm = 0;
        for (int d = 0; d < dimension; d++) {
            sum[d] /= tokens;
            norm += sum[d] * sum[d];
        }
        // sentence-transformers' Normalize clamps the norm at 1e-12 to avoid dividing by zero.
        norm = Math.max(Math.sqrt(norm), 1e-12);
        float[] vector = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            vector[d] = (float) (sum[d] / norm);
        }
        return vector;
    }

    /** Token ids for a text, as the model sees them; for tests and diagnostics. */
    int[] tokenize(String text) {
        return tokenizer.encode(text, OnnxSettings.MAX_SEQUENCE_LENGTH);
    }

    /**
     * Closes the session and its intra-op thread pool. The {@link OrtEnvironment} is a JVM-wide singleton that ONNX
     * Runtime 1.22 releases at JVM exit ({@code close()} is a no-op there), so it is not ours to close.
     */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                OrtSessions.closeQuietly(session);
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
