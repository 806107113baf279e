package dev.steadytext.backend.llamacpp.internal;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import dev.steadytext.api.generate.Generation;
import dev.steadytext.api.generate.GenerationRequest;
import dev.steadytext.api.generate.Generator;
import dev.steadytext.api.generate.OutputConstraint;
import dev.steadytext.api.generate.TextSink;
import dev.steadytext.api.model.ModelDescriptor;
import dev.steadytext.api.model.ModelKind;
import dev.steadytext.backend.support.InstructionSet;
import dev.steadytext.backend.support.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Generator} that decodes greedily with one GGUF model through java-llama.cpp; usable without OSGi.
 *
 * <p>Determinism rests on three things: greedy sampling with every other sampler neutral, one slot
 * ({@code parallel = 1}), and one request at a time: several requests in one model changed outputs in measurements.
 * Requests are validated here because llama.cpp's native asserts end the whole JVM.
 *
 * <p>A constrained request decodes under the constraint's grammar ({@link OutputGrammar}), still greedily: among the
 * tokens the grammar allows, the most likely one. Its finished output is checked against the constraint; output
 * that does not satisfy it (generation ran out of {@code max_tokens} mid-document) is an
 * {@link IllegalArgumentException} naming {@code max_tokens}, never a returned text.
 *
 * <p>Both forms of {@code generate} run the same decoding loop over llama.cpp's streaming iterator, so a streamed
 * generation is the plain one with a receiver attached: the same text, byte for byte. llama.cpp hands over whole UTF-8
 * characters only and holds back text that might begin a stop string until it knows, so the pieces concatenate to the
 * result.
 */
final class LlamaCppGenerator implements Generator, AutoCloseable {

    static final String BACKEND = "llama.cpp";
    static final String LIBRARY_VERSION = "java-llama.cpp 4.2.0";

    /** llama.cpp prepends a BOS token that {@link LlamaModel#encode} does not count. */
    private static final int BOS_TOKENS = 1;

    private final LlamaModel model;
    private final LlamaSettings settings;
    private final ModelDescriptor descriptor;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    private LlamaCppGenerator(LlamaModel model, LlamaSettings settings, ModelDescriptor descriptor) {
        this.model = model;
        this.settings = settings;
        this.descriptor = descriptor;
    }

    /**
     * Loads a model; this blocks for as long as hashing and loading the file take (seconds for large models).
     *
     * @param library the prepared native library; {@link LlamaNativeLibrary#prepare} must have run before any
     *     java-llama.cpp class is touched
     * @throws IOException if the model file cannot be read
     */
    static LlamaCppGenerator load(LlamaSettings settings, LlamaNativeLibrary library) throws IOException {
        if (!Files.isRegularFile(settings.modelPath()) || !Files.isReadable(settings.modelPath())) {
            throw new IOException("model file " + settings.modelPath() + " does not exist or is not readable;"
                    + " set modelPath to a GGUF file");
        }
        String modelSha256 = Sha256.of(settings.modelPath());
        ModelParameters parameters = new ModelParameters()
                .setModel(settings.modelPath().toString())
                .setCtxSize(settings.contextSize())
                .setBatchSize(settings.batchSize())
                .setUbatchSize(settings.batchSize())
                .setThreads(settings.threads())
                .setThreadsBatch(settings.threads())
                .setParallel(1)
                // The server layer's own log (common_log) writes to stdout/stderr and cannot be redirected: pause it.
                .disableLog();
        LlamaModel model = NativeModels.load(parameters);
        String backendVersion = LIBRARY_VERSION + " libjllama-sha256=" + library.sha256().substring(0, 16) + " "
                + InstructionSet.detect();
        ModelDescriptor descriptor = new ModelDescriptor(ModelKind.GENERATION, settings.name(), BACKEND, backendVersion,
                modelSha256, settings.canonical(), 0);
        return new LlamaCppGenerator(model, settings, descriptor);
    }

    @Override
    public ModelDescriptor model() {
        return descriptor;
    }

    @Override
    public Generation generate(GenerationRequest request) {
        return generate(request, piece -> true);
    }

    /**
     * Decodes as {@link #generate(GenerationRequest)} does, handing each token's text to {@code sink} as soon as
     * llama.cpp releases it. A sink that returns false cancels the native task; the model is free for the next request
     * at once.
     */
    @Override
    public Generation generate(GenerationRequest request, TextSink sink) {
        if (request.prompt().isEmpty()) {
            throw new IllegalArgumentException("prompt must not be empty");
        }
        OutputGrammar grammar = request.constraint() instanceof OutputConstraint.Unconstrained
                ? null : OutputGrammar.of(request.constraint());
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("model " + descriptor.name() + " is closed; its backend was stopped");
            }
            int promptTokens = model.encode(request.prompt()).length + BOS_TOKENS;
            if (promptTokens + request.maxTokens() > settings.contextSize()) {
                throw new IllegalArgumentException("prompt (" + promptTokens + " tokens) plus max_tokens ("
                        + request.maxTokens() + ") exceed the context of " + settings.contextSize() + " tokens of model "
                        + descriptor.name() + "; shorten the prompt or lower max_tokens");
            }
            long start = System.nanoTime();
            StringBuilder text = new StringBuilder();
            int outputs = 0;
            InferenceParameters parameters = greedy(request);
            if (grammar != null) {
                parameters.setGrammar(grammar.gbnf());
            }
            LlamaIterator iterator = model.generate(parameters).iterator();
            while (iterator.hasNext()) {
                LlamaOutput output = iterator.next();
                text.append(output.text);
                outputs++;
                if (!output.text.isEmpty()) {
                    hand(output.text, sink, iterator, outputs);
                }
            }
            // Streaming yields one output per generated token, then a final one that carries no token.
            int tokens = Math.max(0, outputs - 1);
            if (grammar != null && !grammar.accepts().test(text.toString())) {
                throw new IllegalArgumentException("the output is not " + grammar.unfinished() + " (after " + tokens
                        + " of max_tokens " + request.maxTokens() + " tokens it was: " + excerpt(text) + ")");
            }
            return new Generation(text.toString(), tokens, System.nanoTime() - start);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands a piece to the sink. A sink that declines it, or fails, cancels the native task: otherwise llama.cpp would
     * decode the abandoned request to its end before it took the next.
     */
    private static void hand(String piece, TextSink sink, LlamaIterator iterator, int outputs) {
        boolean wanted;
        try {
            wanted = sink.accept(piece);
        } catch (RuntimeException e) {
            cancel(iterator);
            throw e;
        }
        if (!wanted) {
            cancel(iterator);
            throw new CancellationException("generation stopped by its receiver after " + outputs + " tokens");
        }
    }

    /** Cancels the native task unless it has already ended (its last output released it). */
    private static void cancel(LlamaIterator iterator) {
        if (iterator.hasNext()) {
            iterator.cancel();
        }
    }

    private static String excerpt(CharSequence text) {
        return text.length() <= 80 ? text.toString() : text.subSequence(0, 40) + "…" + text.subSequence(text.length() - 40, text.length());
    }

    /**
     * Greedy decoding with every other sampler neutral; prompt caching off so that no earlier request's state is
     * reused (measured harmless, but this removes the question). Never {@code setNProbs}: it trips a native assert.
     */
    private static InferenceParameters greedy(GenerationRequest request) {
        InferenceParameters parameters = new InferenceParameters(request.prompt())
                .setTemperature(0f)
                .setTopK(1)
                .setTopP(1f)
                .setMinP(0f)
                .setRepeatPenalty(1f)
                .setSeed(request.seed())
                .setNPredict(request.maxTokens())
                .setCachePrompt(false);
        if (!request.stopStrings().isEmpty()) {
            parameters.setStopStrings(request.stopStrings().toArray(String[]::new));
        }
        return parameters;
    }

    /** Frees the model; waits for a generation in progress to finish first. */
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
