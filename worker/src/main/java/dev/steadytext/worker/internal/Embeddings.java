package dev.steadytext.worker.internal;

import dev.steadytext.api.embed.Embedder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Embeds any number of texts in as few calls as an {@link Embedder}'s batch size allows. */
final class Embeddings {

    private Embeddings() {
    }

    /**
     * Each text's vector, in chunks of the embedder's batch size. Vectors do not depend on their batch companions
     * (the Embedder contract), so the chunking changes no output bit.
     *
     * @param texts distinct texts
     */
    static Map<String, float[]> of(Embedder embedder, List<String> texts) {
        Map<String, float[]> vectors = new LinkedHashMap<>();
        int batch = Math.max(1, embedder.maxBatchSize());
        for (int from = 0; from < texts.size(); from += batch) {
            List<String> chunk = texts.subList(from, Math.min(texts.size(), from + batch));
            List<float[]> embedded = embedder.embed(chunk);
            for (int i = 0; i < chunk.size(); i++) {
                vectors.put(chunk.get(i), embedded.get(i));
            }
        }
        return vectors;
    }
}
