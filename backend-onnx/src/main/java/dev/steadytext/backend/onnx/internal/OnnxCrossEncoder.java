package dev.steadytext.backend.onnx.internal;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.steadytext.api.model.ModelDescriptor;
import dev.steadytext.api.model.ModelKind;
import dev.steadytext.api.rerank.Reranker;
import dev.steadytext.backend.support.FileDigests;
import dev.steadytext.backend.support.InstructionSet;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link Reranker} running a BERT cross-encoder (such as cross-encoder/ms-marco-MiniLM-L-6-v2) with ONNX Runtime;
 * usable without OSGi.
 *
 * <p>Each (query, document) pair is encoded as {@link PairEncoding} and the model gives one relevance logit for it
 * ({@code logits}, shape {@code [batch, 1]}); the score is its logistic function, a probability in (0, 1), as
 * sentence-transformers' CrossEncoder reports for one-label models. The task is ignored: these models take no
 * instruction. Pairs are batched in groups of similar length ({@link LengthGroups}), padded with masked-out zeros;
 * {@link #load} checks once that a pair's score does not depend on its batch, as the embedder does for vectors.
 */
final class OnnxCrossEncoder implements Reranker, AutoCloseable {

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final WordPieceTokenizer tokenizer;
    private final CrossEncoderSettings settings;
    private final String output;
    private final boolean tokenTypes;
    private final ModelDescriptor descriptor;
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private OnnxCrossEncoder(OrtEnvironment environment, OrtSession session, WordPieceTokenizer tokenizer,
            CrossEncoderSettings settings, String output, boolean tokenTypes, ModelDescriptor descriptor) {
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.settings = settings;
        this.output = output;
        this.tokenTypes = tokenTypes;
        this.descriptor = descriptor;
    }

    /**
     * Loads the model, checks it is a cross-encoder and that scores do not depend on their batch.
     *
     * @throws IOException if a file cannot be read, or the model or tokenizer is not one this backend runs; the
     *     message says why
     * @throws IllegalStateException if scores on this machine depend on their batch
     */
    static OnnxCrossEncoder load(CrossEncoderSettings settings, OrtNativeLibrary library, FileDigests digests)
            throws IOException {
        OrtSessions.requireReadable(List.of(settings.modelPath(), settings.tokenizerPath()),
                "set modelPath and tokenizerPath to a cross-encoder's model.onnx and tokenizer.json");
        String modelSha256 = digests.of(settings.modelPath());
        String tokenizerSha256 = digests.of(settings.tokenizerPath());
        WordPieceTokenizer tokenizer = WordPieceTokenizer.load(settings.tokenizerPath());
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession session = OrtSessions.open(environment, settings.modelPath(), settings.intraOpThreads(),
                "set modelPath to a cross-encoder exported to ONNX");
        OnnxCrossEncoder encoder = null;
        try {
            String output = logitOutput(session, settings);
            boolean tokenTypes = session.getInputNames().contains("token_type_ids");
            String backendVersion = OnnxEmbedder.LIBRARY_VERSION + " libonnxruntime-sha256="
                    + library.sha256().substring(0, 16) + " " + InstructionSet.detect() + " tokenizer="
                    + OnnxEmbedder.TOKENIZER_VERSION;
            ModelDescriptor descriptor = new ModelDescriptor(ModelKind.RERANKING, settings.name(), OnnxEmbedder.BACKEND,
                    backendVersion, modelSha256, settings.canonical(tokenizerSha256), 0);
            encoder = new OnnxCrossEncoder(environment, session, tokenizer, settings, output, tokenTypes, descriptor);
            encoder.checkBatchInvariance();
            return encoder;
        } catch (OrtException e) {
            throw new IOException("cannot read the inputs and outputs of " + settings.modelPath() + ": " + e.getMessage(),
                    e);
        } finally {
            if (encoder == null) {
                OrtSessions.closeQuietly(session);
            }
        }
    }

    /** The output that holds the logits: the only one, or {@code logits}; it must be [batch, 1] or [batch]. */
    private static String logitOutput(OrtSession session, CrossEncoderSettings settings)
            throws OrtException, IOException {
        Set<String> inputs = session.getInputNames();
        if (!inputs.containsAll(List.of("input_ids", "attention_mask"))) {
            throw new IOException(settings.modelPath().getFileName() + " is not a BERT cross-encoder: its inputs are "
                    + inputs + ", not input_ids, attention_mask (and token_type_ids)");
        }
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        String name = outputs.size() == 1 ? outputs.keySet().iterator().next() : "logits";
        NodeInfo info = outputs.get(name);
        long[] shape = info != null && info.getInfo() instanceof TensorInfo tensor ? tensor.getShape() : null;
        if (shape == null || !(shape.length == 1 || (shape.length == 2 && shape[1] == 1))) {
            throw new IOException(settings.modelPath().getFileName() + " is not a cross-encoder: "
                    + (shape == null ? "it has no output logits (outputs " + outputs.keySet() + ")"
                            : "its output " + name + " has shape " + Arrays.toString(shape))
                    + "; a cross-encoder gives one relevance logit per pair ([batch, 1])");
        }
        return name;
    }

    /** A short and a long pair alone and together must score alike, or cached scores would depend on batches. */
    private void checkBatchInvariance() {
        String query = "what makes scores deterministic";
        List<String> documents = List.of("the batch", "Padding is masked out of attention, so it cannot change a"
                + " score. ".repeat(6));
        double shortAlone = score(query, documents.subList(0, 1), "")[0];
        double longAlone = score(query, documents.subList(1, 2), "")[0];
        double[] together = score(query, documents, "");
        if (Double.compare(shortAlone, together[0]) != 0 || Double.compare(longAlone, together[1]) != 0) {
            throw new IllegalStateException("ONNX Runtime on this machine (" + InstructionSet.detect() + ") gives"
                    + " different scores for a pair alone and in a padded batch; refusing to serve scores that would"
                    + " differ between cache entries. Try intraOpThreads=1 or maxBatchSize=1");
        }
    }

    @Override
    public ModelDescriptor model() {
        return descriptor;
    }

    @Override
    public double[] score(String query, List<String> documents, String task) {
        if (query == null || query.isEmpty()) {
            throw new IllegalArgumentException("query must not be empty");
        }
        PairEncoding[] pairs = new PairEncoding[documents.size()];
        int[][] ids = new int[pairs.length][];
        for (int i = 0; i < pairs.length; i++) {
            if (documents.get(i) == null) {
                throw new IllegalArgumentException("documents[" + (i + 1) + "] is null");
            }
            pairs[i] = PairEncoding.of(tokenizer, query, documents.get(i), settings.maxSequenceLength());
            ids[i] = pairs[i].ids();
        }
        double[] scores = new double[pairs.length];
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("model " + descriptor.name() + " is closed; its backend was stopped");
            }
            for (int[] group : LengthGroups.of(ids)) {
                for (int from = 0; from < group.length; from += settings.maxBatchSize()) {
                    int[] batch = Arrays.copyOfRange(group, from, Math.min(group.length, from + settings.maxBatchSize()));
                    float[] logits = run(pairs, batch);
                    for (int j = 0; j < batch.length; j++) {
                        scores[batch[j]] = 1.0 / (1.0 + Math.exp(-(double) logits[j]));
                    }
                }
            }
            return scores;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to score " + pairs.length + " documents with model "
                    + descriptor.name() + ": " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** One logit per pair of {@code batch} (indices into {@code pairs}), padded to the longest with masked zeros. */
    private float[] run(PairEncoding[] pairs, int[] batch) throws OrtException {
        int length = 0;
        for (int index : batch) {
            length = Math.max(length, pairs[index].ids().length);
        }
        long[] ids = new long[batch.length * length];
        long[] mask = new long[ids.length];
        long[] types = new long[ids.length];
        for (int row = 0; row < batch.length; row++) {
            PairEncoding pair = pairs[batch[row]];
            for (int t = 0; t < pair.ids().length; t++) {
                ids[row * length + t] = pair.ids()[t];
                mask[row * length + t] = 1;
                types[row * length + t] = pair.typeIds()[t];
            }
        }
        long[] shape = {batch.length, length};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
            if (tokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape));
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(output))) {
                FloatBuffer values = ((OnnxTensor) result.get(0)).getFloatBuffer();
                float[] logits = new float[batch.length];
                values.get(logits);
                return logits;
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

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
