package dev.steadytext.benchmarks;

import dev.steadytext.api.rerank.Reranker;
import dev.steadytext.benchmarks.Result.Goal;
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
 * <p>The llama.cpp and ONNX cross-encoder backends need reranker models that cannot be downloaded here, so they are
 * not measured. It runs in the platform group:
 * {@code java --enable-native-access=ALL-UNNAMED -jar benchmarks/target/steadytext-benchmarks.jar rerank}.
 */
final class RerankBenchmark {

    private static final int DOCUMENTS = 32;
    private static final String TASK = "Given a web search query, retrieve relevant passages that answer the query";

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
