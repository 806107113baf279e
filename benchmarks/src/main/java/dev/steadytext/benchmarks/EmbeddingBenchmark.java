package dev.steadytext.benchmarks;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.steadytext.api.embed.Embedder;
import dev.steadytext.backend.onnx.internal.BenchmarkEmbedders;
import dev.steadytext.benchmarks.Result.Goal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Figure 2: our in-process embedding engine ({@code OnnxEmbedder}, used directly, no OSGi) against LangChain4j's
 * {@code AllMiniLmL6V2EmbeddingModel}: the same model, the same ONNX Runtime build (ours prepares the native library
 * first and LangChain4j's classes load the same one), the same texts: short sentences, long passages, and both
 * shuffled together.
 *
 * <p>Ours runs with the backend's defaults: 2 intra-op threads and batches of 32, as the worker calls it (batch 1 is
 * shown for comparison). A batch is padded to its longest text, so a mixed batch costs more than its texts alone.
 * LangChain4j has no batch setting: {@code embed(text)} runs one text on the caller's thread, {@code embedAll}
 * spreads single-text runs over its default executor (one thread per core); its sessions use ONNX Runtime's default
 * threads. The reference is LangChain4j's faster mode on each set. The modes take turns ({@link Interleaved}).
 */
final class EmbeddingBenchmark {

    private static final String FIGURE = Figure.EMBEDDINGS.id();
    private static final int THREADS = 2;
    private static final int BATCH = 32;

    private final GroupContext context;

    EmbeddingBenchmark(GroupContext context) {
        this.context = context;
    }

    void run() throws Exception {
        // Ours first: it points ONNX Runtime at the extracted libraries before any ONNX Runtime class initialises.
        Embedder ours = BenchmarkEmbedders.bundledMiniLm(context.workDir("embeddings"), THREADS, BATCH);
        AllMiniLmL6V2EmbeddingModel theirs = new AllMiniLmL6V2EmbeddingModel();
        double seconds = Math.max(4, context.options().seconds() * 4 / 3.0);
        measure("short sentences", SampleTexts.shortSentences(), ours, theirs, seconds);
        measure("long passages", SampleTexts.longPassages(), ours, theirs, seconds);
        measure("mixed", SampleTexts.corpus(), ours, theirs, seconds);
        if (ours instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    private void measure(String set, List<String> texts, Embedder ours, AllMiniLmL6V2EmbeddingModel theirs,
            double seconds) throws Exception {
        context.reporter().progress("embeddings, " + set + ": " + texts.size() + " texts");
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        double agreement = minimumCosine(batched(ours, texts), theirs.embedAll(segments).content());
        Map<String, Double> rates = new Interleaved()
                .add("ours batch 1", () -> {
                    for (String text : texts) {
                        ours.embed(List.of(text));
                    }
                    return texts.size();
                })
                .add("ours batch " + BATCH, () -> batched(ours, texts).size())
                .add("LangChain4j embed(text)", () -> {
                    for (String text : texts) {
                        theirs.embed(text);
                    }
                    return texts.size();
                })
                .add("LangChain4j embedAll", () -> theirs.embedAll(segments).content().size())
                .measure(seconds);
        rates.forEach((mode, rate) -> context.reporter().progress("  " + mode + ": " + Result.format(rate) + " embeddings/s"));
        double ours1 = rates.get("ours batch 1");
        double ours32 = rates.get("ours batch " + BATCH);
        double theirs1 = rates.get("LangChain4j embed(text)");
        double theirsN = rates.get("LangChain4j embedAll");

        String modes = "LangChain4j embed(text) " + Result.format(theirs1) + "/s, embedAll " + Result.format(theirsN)
                + "/s; ours batch 1 " + Result.format(ours1) + "/s";
        context.reporter().result(Result.ratio(FIGURE, set + ": OnnxEmbedder, batches of " + BATCH + " (embeddings/s)",
                ours32, Math.max(theirs1, theirsN), Goal.atLeast(1.0), "reference: LangChain4j's faster mode (" + modes
                        + "); lowest cosine ours vs LangChain4j " + String.format(java.util.Locale.ROOT, "%.6f", agreement)));
    }

    private static List<float[]> batched(Embedder embedder, List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += BATCH) {
            vectors.addAll(embedder.embed(texts.subList(from, Math.min(texts.size(), from + BATCH))));
        }
        return vectors;
    }

    /** The same model must give the same vectors up to float rounding: a check that both did the same work. */
    private static double minimumCosine(List<float[]> ours, List<Embedding> theirs) {
        double minimum = 1;
        for (int i = 0; i < ours.size(); i++) {
            float[] a = ours.get(i);
            float[] b = theirs.get(i).vector();
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int d = 0; d < a.length; d++) {
                dot += a[d] * b[d];
                na += a[d] * a[d];
                nb += b[d] * b[d];
            }
            minimum = Math.min(minimum, dot / Math.sqrt(na * nb));
        }
        return minimum;
    }
}
