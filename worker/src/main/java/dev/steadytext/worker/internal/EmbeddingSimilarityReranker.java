package dev.steadytext.worker.internal;

import dev.steadytext.api.embed.Embedder;
import dev.steadytext.api.model.ModelDescriptor;
import dev.steadytext.api.model.ModelKind;
import dev.steadytext.api.rerank.Reranker;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link Reranker} over an embedding model: a document's score is the cosine similarity of its embedding with the
 * query's, in [-1, 1]. It needs no model of its own, so reranking works out of the box and offline.
 *
 * <p>The task. By default the query is embedded as it is and the task is ignored: all-MiniLM-L6-v2 (the default
 * embedder) is a symmetric sentence model trained without instructions, and a long instruction such as the default
 * task mean-pooled together with a short query would drown the query. For instruction-tuned embedders (E5-instruct,
 * Qwen3-Embedding) {@code queryInstruction} embeds {@code "Instruct: <task>\nQuery: <query>"} instead, their
 * convention; documents are always embedded as they are. The choice is part of the fingerprint. Either way the task
 * stays part of every cache key, since the SQL side keys without knowing the backend.
 *
 * <p>Determinism: each text's vector does not depend on its batch (the {@link Embedder} contract), each text is
 * embedded once per call, and the cosine is summed in double precision in index order.
 */
final class EmbeddingSimilarityReranker implements Reranker {

    static final String BACKEND = "embedding-similarity";
    /** Names the scoring; bump when {@link #cosine} or the query text changes. */
    static final String VERSION = "cosine/1";

    private final Embedder embedder;
    private final boolean queryInstruction;
    private final ModelDescriptor descriptor;

    EmbeddingSimilarityReranker(Embedder embedder, String name, boolean queryInstruction) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.queryInstruction = queryInstruction;
        ModelDescriptor embedding = embedder.model();
        this.descriptor = new ModelDescriptor(ModelKind.RERANKING, name, BACKEND,
                VERSION + " over " + embedding.backend() + " " + embedding.backendVersion(), embedding.modelSha256(),
                "embedder=" + embedding.fingerprint() + ";score=cosine;query=" + (queryInstruction ? "instruct" : "plain"),
                0);
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
        for (int i = 0; i < documents.size(); i++) {
            if (documents.get(i) == null) {
                throw new IllegalArgumentException("documents[" + (i + 1) + "] is null");
            }
        }
        String queryText = queryText(query, task);
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        distinct.add(queryText);
        distinct.addAll(documents);
        Map<String, float[]> vectors = Embeddings.of(embedder, new ArrayList<>(distinct));
        float[] queryVector = vectors.get(queryText);
        double[] scores = new double[documents.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = cosine(queryVector, vectors.get(documents.get(i)));
        }
        return scores;
    }

    /** The text embedded for the query (see the class comment). */
    String queryText(String query, String task) {
        return queryInstruction ? "Instruct: " + Objects.requireNonNull(task, "task") + "\nQuery: " + query : query;
    }

    /** The cosine of two vectors in double precision, summed in index order; 0 when either is all zeros. */
    static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalStateException("vectors of " + a.length + " and " + b.length + " dimensions");
        }
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            normA += (double) a[i] * a[i];
            normB += (double) b[i] * b[i];
        }
        return normA == 0 || normB == 0 ? 0.0 : dot / Math.sqrt(normA * normB);
    }
}
