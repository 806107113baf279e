package dev.steadytext.backend.llamacpp.internal;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import dev.steadytext.api.model.ModelDescriptor;
import dev.steadytext.api.model.ModelKind;
import dev.steadytext.api.rerank.Reranker;
import dev.steadytext.backend.support.InstructionSet;
import dev.steadytext.backend.support.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Reranker} running a GGUF reranker model (a cross-encoder with a classification head and rank pooling,
 * such as bge-reranker) through java-llama.cpp's {@code LlamaModel.rerank}; usable without OSGi. (Qwen3-Reranker
 * needs a newer llama.cpp than the bundled one, which knows no qwen3 architecture; its prompt is here for then.)
 *
 * <p>Each document is scored alone, in its own call: a document's score never depends on the others, the one-slot
 * model ({@code parallel = 1}) sees one sequence at a time as for generation, and the result is read by position
 * rather than from java-llama.cpp's map keyed by document text (which would merge repeated documents). The score is
 * the logistic function of the head's logit: a probability in (0, 1), as bge-reranker's normalised scores and
 * Qwen3-Reranker's P("yes") are.
 *
 * <p>What llama.cpp would abort the JVM on is refused first: a file that is not a reranker (no rank pooling or no
 * classification head in its GGUF header, {@link GgufMetadata}), and a pair longer than the context, the
 * micro-batch (an encoder model needs the whole sequence in one micro-batch) or the context the model was trained
 * with (a BERT model has position embeddings for that many tokens only).
 */
final class LlamaCppReranker implements Reranker, AutoCloseable {

    /** llama.cpp's {@code LLAMA_POOLING_TYPE_RANK}. */
    static final long POOLING_RANK = 4;
    /** Tokens llama.cpp may add around and between the halves (BOS, EOS, SEP, EOS) and a margin. */
    private static final int SPECIAL_TOKENS = 8;

    private final LlamaModel model;
    private final int maxTokens;
    private final RerankPrompt prompt;
    private final ModelDescriptor descriptor;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    private LlamaCppReranker(LlamaModel model, int maxTokens, RerankPrompt prompt, ModelDescriptor descriptor) {
        this.model = model;
        this.maxTokens = maxTokens;
        this.prompt = prompt;
        this.descriptor = descriptor;
    }

    /**
     * Checks that the file is a reranker model and chooses its prompt; reads the GGUF header only, no native code.
     *
     * @param promptTemplate {@code auto}, {@code pair} or {@code qwen3} (see {@link RerankPrompt#of})
     * @throws IOException if the file cannot be read or is not a reranker model; the message says why
     */
    static RerankPrompt check(Path modelPath, String promptTemplate) throws IOException {
        return inspect(modelPath, promptTemplate).prompt();
    }

    /**
     * What the GGUF header says about a reranker model.
     *
     * @param trainedContext {@code <architecture>.context_length}, or -1 when the header has none
     */
    private record Header(RerankPrompt prompt, long trainedContext) {}

    private static Header inspect(Path modelPath, String promptTemplate) throws IOException {
        if (!Files.isRegularFile(modelPath) || !Files.isReadable(modelPath)) {
            throw new IOException("model file " + modelPath + " does not exist or is not readable;"
                    + " set modelPath to a GGUF reranker model");
        }
        GgufMetadata gguf = GgufMetadata.read(modelPath);
        String architecture = gguf.architecture();
        long pooling = gguf.integer(architecture + ".pooling_type");
        // The bundled llama.cpp asserts that the dense layer (cls) and its bias exist, and cls.output's bias if
        // cls.output exists, when it builds the rank-pooling graph: a head of cls.output alone aborts the JVM at load.
        Set<String> tensors = gguf.tensors();
        boolean head = tensors.contains("cls.weight") && tensors.contains("cls.bias")
                && (!tensors.contains("cls.output.weight") || tensors.contains("cls.output.bias"));
        if (pooling != POOLING_RANK || !head) {
            throw new IOException(modelPath.getFileName() + " is not a reranker model: its GGUF header ("
                    + (architecture.isEmpty() ? "no architecture" : "architecture " + architecture) + ") declares "
                    + (pooling < 0 ? "no pooling type" : "pooling type " + pooling) + " where a reranker has "
                    + POOLING_RANK + " (rank), and " + (head ? "has" : "has no") + " classification head (tensors"
                    + " cls.weight and cls.bias, with cls.output.bias if there is a cls.output.weight); llama.cpp would"
                    + " abort the JVM on it. Set modelPath to a GGUF reranker such as bge-reranker");
        }
        long trainedContext = gguf.integer(architecture + ".context_length");
        return new Header(RerankPrompt.of(promptTemplate, architecture), trainedContext);
    }

    /**
     * Loads a reranker model; blocks for as long as hashing and loading the file take.
     *
     * @param library the prepared native library; {@link LlamaNativeLibrary#prepare} must have run before any
     *     java-llama.cpp class is touched
     * @throws IOException if the model file cannot be read, is not a reranker, or llama.cpp cannot load it
     */
    static LlamaCppReranker load(LlamaSettings settings, String promptTemplate, LlamaNativeLibrary library)
            throws IOException {
        Header header = inspect(settings.modelPath(), promptTemplate);
        String modelSha256 = Sha256.of(settings.modelPath());
        ModelParameters parameters = new ModelParameters()
                .setModel(settings.modelPath().toString())
                .setCtxSize(settings.contextSize())
                .setBatchSize(settings.batchSize())
                .setUbatchSize(settings.batchSize())
                .setThreads(settings.threads())
                .setThreadsBatch(settings.threads())
                .setParallel(1)
                .enableReranking()
                .disableLog();
        LlamaModel model;
        try {
            model = NativeModels.load(parameters);
        } catch (RuntimeException e) {
            throw new IOException("llama.cpp cannot load reranker " + settings.modelPath() + " (" + e.getMessage()
                    + "); the bundled java-llama.cpp 4.2.0 may not know its architecture, or its vocabulary may lack"
                    + " the BOS or EOS token that llama.cpp reranks with", e);
        }
        String backendVersion = LlamaCppGenerator.LIBRARY_VERSION + " libjllama-sha256="
                + library.sha256().substring(0, 16) + " " + InstructionSet.detect();
        ModelDescriptor descriptor = new ModelDescriptor(ModelKind.RERANKING, settings.name(), LlamaCppGenerator.BACKEND,
                backendVersion, modelSha256, canonical(settings, header.prompt()), 0);
        return new LlamaCppReranker(model, maxTokens(settings, header.trainedContext()), header.prompt(), descriptor);
    }

    /**
     * The longest pair (in tokens, special tokens included) llama.cpp can take: within the context and the
     * micro-batch, and within the trained context, past which a BERT model has no position embedding and llama.cpp
     * aborts the JVM (GGML_ASSERT in get_rows).
     */
    static int maxTokens(LlamaSettings settings, long trainedContext) {
        int limit = Math.min(settings.contextSize(), settings.batchSize());
        return trainedContext > 0 ? (int) Math.min(limit, trainedContext) : limit;
    }

    /** The descriptor's settings: the load settings that can change a score, the prompt and the score function. */
    static String canonical(LlamaSettings settings, RerankPrompt prompt) {
        return "n_ctx=" + settings.contextSize() + ";n_batch=" + settings.batchSize() + ";threads="
                + settings.threads() + ";parallel=1;pooling=rank;prompt=" + prompt.name().toLowerCase(java.util.Locale.ROOT)
                + ";score=sigmoid";
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
        String first = prompt.query(query, task);
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("model " + descriptor.name() + " is closed; its backend was stopped");
            }
            int queryTokens = model.encode(first).length;
            double[] scores = new double[documents.size()];
            for (int i = 0; i < scores.length; i++) {
                String second = prompt.document(documents.get(i));
                int tokens = queryTokens + model.encode(second).length + SPECIAL_TOKENS;
                if (tokens > maxTokens) {
                    throw new IllegalArgumentException("documents[" + (i + 1) + "] with the query is " + tokens
                            + " tokens, more than the " + maxTokens + " model " + descriptor.name() + " takes at once"
                            + " (contextSize, batchSize and the context it was trained with); shorten it");
                }
                scores[i] = sigmoid(single(model.rerank(first, second), i));
            }
            return scores;
        } finally {
            lock.unlock();
        }
    }

    /** The one score of a one-document rerank call. */
    private double single(LlamaOutput output, int document) {
        if (output.probabilities.size() != 1) {
            throw new IllegalStateException("llama.cpp returned " + output.probabilities.size() + " scores for"
                    + " documents[" + (document + 1) + "], expected one");
        }
        return output.probabilities.values().iterator().next();
    }

    static double sigmoid(double logit) {
        return 1.0 / (1.0 + Math.exp(-logit));
    }

    /** Frees the model; waits for a scoring in progress to finish first. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                NativeModels.close(model);
            }
        } finally {
            lock.unlock();
        }
    }
}
