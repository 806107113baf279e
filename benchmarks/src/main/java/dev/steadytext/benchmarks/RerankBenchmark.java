package dev.steadytext.benchmarks;

import dev.steadytext.api.rerank.Reranker;
import dev.steadytext.backend.onnx.internal.BenchmarkEmbedders;
import dev.steadytext.benchmarks.Result.Goal;
import dev.steadytext.testkit.TinyGgufReranker;
import dev.steadytext.testkit.TinyOnnxModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

/**
 * Figure "rerank": reranking throughput, in documents per second, of the default reranker (cosine similarity over the
 * bundled all-MiniLM-L6-v2), three ways taking turns: {@code steadytext_rerank} with a fresh query every round (every
 * pair a miss: the worker embeds the query and the documents, scores and caches them), the same {@link Reranker}
 * called in-process (the reference), and {@code steadytext_rerank} of a query whose pairs are all cached.
 *
 * <p>Then the other two backends through SQL, taking turns, on the tiny synthetic models of the tests (no real
 * reranker model can be downloaded here): llama.cpp's reranker on a 2-layer BERT cross-encoder written as GGUF
 * (loaded on demand, by its registry name), and the ONNX cross-encoder on a model whose logit is a sum of token ids.
 * Their compute is negligible, so the figures are each backend's own cost per document: tokenizing, one llama.cpp
 * call per document or one ONNX run per batch, the queue and the cache. It runs in the platform group:
 * {@code java --enable-native-access=ALL-UNNAMED -jar benchmarks/target/steadytext-benchmarks.jar rerank}.
 */
final class RerankBenchmark {

    private static final int DOCUMENTS = 32;
    private static final String TASK = "Given a web search query, retrieve relevant passages that answer the query";
    private static final String GGUF_RERANKER = "tiny-bert-reranker";
    private static final String ONNX_CROSS_ENCODER = "tiny-cross-encoder";
    /** The tiny GGUF model has 128 positions, and spells most words letter by letter: documents are cut short. */
    private static final int TINY_DOCUMENT_CHARS = 40;

    private final GroupContext context;

    RerankBenchmark(GroupContext context) {
        this.context = context;
    }

    void run(Reranker reranker) throws Exception {
        List<String> documents = SampleTexts.shortSentences().subList(0, DOCUMENTS);
        double seconds = Math.max(3, context.options().seconds() * 2 / 3.0);
        int[] round = {0};
        try (Connection c = context.connect(); PreparedStatement sql = c.prepareStatement(
                "SELECT count(score) FROM steadytext_rerank(?, ?, ?)")) {
            var array = c.createArrayOf("text", documents.toArray());
            Throughput.Round fresh = () -> rerank(sql, array, "which of these happen at night? (round " + round[0]++ + ")");
            Throughput.Round cached = () -> rerank(sql, array, "which of these happen at night?");
            Throughput.Round inProcess = () -> {
                reranker.score("which of these happen at night? (direct " + round[0]++ + ")", documents, TASK);
                return DOCUMENTS;
            };
            Map<String, Double> rates = new Interleaved().add("in-process", inProcess).add("sql", fresh)
                    .add("sql cached", cached).measure(3 * seconds);
            String model = reranker.model().name();
            context.reporter().progress("  in-process: " + Result.format(rates.get("in-process")) + " documents/s");
            context.reporter().result(Result.ratio(Figure.RERANK.id(), "steadytext_rerank, " + model + ", "
                    + DOCUMENTS + " documents, fresh query (documents/s)", rates.get("sql"), rates.get("in-process"),
                    Goal.NONE, "reference: the platform's Reranker called in-process on the same documents with a"
                            + " fresh query; every SQL pair a miss, scored by the worker and cached"));
            context.reporter().result(Result.absolute(Figure.RERANK.id(), "steadytext_rerank, " + model + ", "
                    + DOCUMENTS + " documents, every pair cached (documents/s)", rates.get("sql cached"), Goal.NONE,
                    "one call: 32 cache reads and 32 access-log rows, no job"));
        }
    }

    /**
     * Writes the tiny models and the configuration that serves them into {@code dir}; returns the configuration
     * directory for the platform: the GGUF reranker as a registry entry (loaded on demand), the ONNX cross-encoder
     * as a configured backend (loaded at start), neither the default.
     */
    static Path configure(Path dir) throws IOException {
        Path gguf = TinyGgufReranker.write(dir.resolve(GGUF_RERANKER + ".gguf"));
        Path onnx = TinyOnnxModel.write(dir.resolve(ONNX_CROSS_ENCODER + ".onnx"));
        Path tokenizer = BenchmarkEmbedders.bundledTokenizer(dir.resolve("tokenizer"));
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("dev.steadytext.models.cfg"), "model." + GGUF_RERANKER
                + ".kind = reranking\nmodel." + GGUF_RERANKER + ".path = " + gguf + "\n");
        Files.writeString(conf.resolve("dev.steadytext.backend.onnx.crossencoder.cfg"), "modelPath = " + onnx
                + "\ntokenizerPath = " + tokenizer + "\nname = " + ONNX_CROSS_ENCODER + "\nisDefault = false\n");
        return conf;
    }

    /** The llama.cpp and ONNX cross-encoder backends on their tiny models, through SQL, fresh queries. */
    void runTinyBackends() throws Exception {
        List<String> documents = SampleTexts.shortSentences().subList(0, DOCUMENTS).stream()
                .map(d -> d.substring(0, Math.min(d.length(), TINY_DOCUMENT_CHARS))).toList();
        double seconds = Math.max(3, context.options().seconds() * 2 / 3.0);
        int[] round = {0};
        try (Connection c = context.connect(); PreparedStatement sql = c.prepareStatement(
                "SELECT count(score) FROM steadytext_rerank(?, ?, ?, model => ?)")) {
            var array = c.createArrayOf("text", documents.toArray());
            Throughput.Round gguf = () -> rerank(sql, array, "at night? " + round[0]++, GGUF_RERANKER);
            Throughput.Round onnx = () -> rerank(sql, array, "at night? " + round[0]++, ONNX_CROSS_ENCODER);
            gguf.run(); // the first call has the worker load the model
            Map<String, Double> rates = new Interleaved().add("llama.cpp", gguf).add("onnx", onnx)
                    .measure(2 * seconds);
            context.reporter().result(Result.absolute(Figure.RERANK.id(), "steadytext_rerank, llama.cpp reranker, "
                    + "tiny synthetic GGUF, " + DOCUMENTS + " documents, fresh query (documents/s)",
                    rates.get("llama.cpp"), Goal.NONE, "a 2-layer BERT cross-encoder of 26,000 parameters written by"
                            + " the testkit: the backend's own cost per document (one llama.cpp call each), not a"
                            + " real model's speed"));
            context.reporter().result(Result.absolute(Figure.RERANK.id(), "steadytext_rerank, ONNX cross-encoder, "
                    + "tiny synthetic model, " + DOCUMENTS + " documents, fresh query (documents/s)",
                    rates.get("onnx"), Goal.NONE, "a model whose logit is a sum of token ids: the backend's own cost"
                            + " per document (WordPiece pairs, batches of 16), not a real model's speed"));
        }
    }

    private static long rerank(PreparedStatement sql, java.sql.Array documents, String query, String model)
            throws Exception {
        sql.setString(4, model); // model
        return rerank(sql, documents, query);
    }

    private static long rerank(PreparedStatement sql, java.sql.Array documents, String query) throws Exception {
        sql.setString(1, query); // query
        sql.setArray(2, documents); // documents
        sql.setString(3, TASK); // task
        try (ResultSet rs = sql.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
