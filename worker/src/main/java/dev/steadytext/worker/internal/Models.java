package dev.steadytext.worker.internal;

import dev.steadytext.api.embed.Embedder;
import dev.steadytext.api.generate.Generator;
import dev.steadytext.api.model.ModelDescriptor;
import dev.steadytext.api.rerank.Reranker;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The backends this worker can run, by model fingerprint. Backends come and go at run time (a model finishes
 * loading, a plug-in is removed); lanes claim only jobs for the fingerprints present at claim time.
 */
final class Models {

    private final Map<String, Generator> generators = new ConcurrentHashMap<>();
    private final Map<String, Embedder> embedders = new ConcurrentHashMap<>();
    private final Map<String, Reranker> rerankers = new ConcurrentHashMap<>();
    private final Map<String, Boolean> defaults = new ConcurrentHashMap<>();
    private volatile BiConsumer<ModelDescriptor, Boolean> onAdded = (model, isDefault) -> { };

    /** Calls {@code listener} for every model present now and every model added later. */
    void onAdded(BiConsumer<ModelDescriptor, Boolean> listener) {
        onAdded = listener;
        generators.values().forEach(g -> listener.accept(g.model(), isDefault(g.model())));
        embedders.values().forEach(e -> listener.accept(e.model(), isDefault(e.model())));
        rerankers.values().forEach(r -> listener.accept(r.model(), isDefault(r.model())));
    }

    void add(Generator generator, boolean isDefault) {
        ModelDescriptor model = generator.model();
        defaults.put(model.fingerprint(), isDefault);
        generators.put(model.fingerprint(), generator);
        onAdded.accept(model, isDefault);
    }

    void add(Embedder embedder, boolean isDefault) {
        ModelDescriptor model = embedder.model();
        defaults.put(model.fingerprint(), isDefault);
        embedders.put(model.fingerprint(), embedder);
        onAdded.accept(model, isDefault);
    }

    void add(Reranker reranker, boolean isDefault) {
        ModelDescriptor model = reranker.model();
        defaults.put(model.fingerprint(), isDefault);
        rerankers.put(model.fingerprint(), reranker);
        onAdded.accept(model, isDefault);
    }

    void remove(Reranker reranker) {
        rerankers.values().remove(reranker);
    }

    Reranker reranker(String fingerprint) {
        return rerankers.get(fingerprint);
    }

    Set<String> rerankingFingerprints() {
        return Set.copyOf(rerankers.keySet());
    }

    void remove(Generator generator) {
        generators.values().remove(generator);
    }

    void remove(Embedder embedder) {
        embedders.values().remove(embedder);
    }

    Generator generator(String fingerprint) {
        return generators.get(fingerprint);
    }

    Embedder embedder(String fingerprint) {
        return embedders.get(fingerprint);
    }

    Set<String> generationFingerprints() {
        return Set.copyOf(generators.keySet());
    }

    Set<String> embeddingFingerprints() {
        return Set.copyOf(embedders.keySet());
    }

    Set<String> allFingerprints() {
        Set<String> all = new java.util.HashSet<>(generators.keySet());
        all.addAll(embedders.keySet());
        all.addAll(rerankers.keySet());
        return all;
    }

    private boolean isDefault(ModelDescriptor model) {
        return defaults.getOrDefault(model.fingerprint(), false);
    }
}
