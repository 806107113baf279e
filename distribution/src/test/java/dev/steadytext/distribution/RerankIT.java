package dev.steadytext.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.api.embed.Embedder;
import dev.steadytext.api.rerank.Reranker;
import dev.steadytext.platform.SteadyTextPlatform;
import dev.steadytext.testkit.PostgresExtension;
import dev.steadytext.testkit.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reranking answered by the real platform with its default reranker: the embedding similarity over the bundled
 * all-MiniLM-L6-v2, which needs no configuration and no network. Scores are the cosine of the query's and the
 * document's vectors, bit for bit as computed in-process from the platform's Embedder; ordered by score, then by
 * position; computed once per (query, document) pair and then read from the cache.
 */
class RerankIT {

    private static final String QUERY = "a cat sitting on a mat";
    private static final List<String> DOCUMENTS = List.of(
            "The stock market fell sharply today.",
            "A cat is sitting on a mat.",
            "Dogs love to play fetch in the park.",
            "A cat is sitting on a mat.",
            "Kittens sleep a lot.");

    @TempDir
    static Path home;

    private static TestDatabase db;
    private static SteadyTextPlatform platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        db = PostgresExtension.database();
        platform = InProcessPlatform.start(InProcessPlatform.options(db, home).build());
        db.createLoopbackServerIfExternal();
        String fingerprint = platform.service(Reranker.class, Duration.ofSeconds(60)).model().fingerprint();
        // The worker announces the reranker shortly after the service appears; SQL keys requests to it.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"1".equals(Sql.text(db, "SELECT count(*) FROM steadytext_models WHERE fingerprint = ?", fingerprint))) {
            assertThat(System.nanoTime()).as("the reranker is registered within 30 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void rerank_ordersByCosineThenPosition_exactlyAsTheEmbedderComputesIt() throws Exception {
        List<Row> rows = rerank("SELECT document, score FROM steadytext_rerank(?, ?)", QUERY, DOCUMENTS);

        List<Row> expected = expectedRanking(QUERY, DOCUMENTS);
        System.out.println("rerank: " + rows);
        assertThat(rows).containsExactlyElementsOf(expected);
        assertThat(rows.get(0).document()).isEqualTo("A cat is sitting on a mat.");
        assertThat(rows.get(1).document()).as("the repeated document ties and follows by position")
                .isEqualTo("A cat is sitting on a mat.");
        assertThat(rows.get(2).document()).as("the nearest in meaning after the cat").isEqualTo("Kittens sleep a lot.");
        assertThat(Sql.text(db, "SELECT backend FROM steadytext_models m JOIN steadytext_queue q "
                + "ON q.model_fingerprint = m.fingerprint WHERE q.prompt = ?", QUERY)).isEqualTo("embedding-similarity");
    }

    @Test
    void rerank_again_givesTheSameScoresFromTheCache_withoutANewJob() throws Exception {
        String query = "which animal chases mice";
        List<Row> first = rerank("SELECT document, score FROM steadytext_rerank(?, ?)", query, DOCUMENTS);
        long jobs = jobs(query);
        List<Row> second = rerank("SELECT document, score FROM st_rerank(?, ?)", query, DOCUMENTS);

        assertThat(second).containsExactlyElementsOf(first);
        assertThat(jobs).as("one job, for the four distinct documents").isOne();
        assertThat(jobs(query)).isEqualTo(jobs);
        assertThat(Sql.text(db, "SELECT params -> 'documents' FROM steadytext_queue WHERE prompt = ?", query))
                .as("each distinct document once").isEqualTo("[\"The stock market fell sharply today.\", "
                        + "\"A cat is sitting on a mat.\", \"Dogs love to play fetch in the park.\", \"Kittens sleep a lot.\"]");
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_cache WHERE kind = 'reranking' "
                + "AND generation_params ->> 'query' = ?", query)).isEqualTo(4);
    }

    @Test
    void topK_andDocsOnly_followTheSameRanking() throws Exception {
        String query = "financial news";
        List<Row> all = rerank("SELECT document, score FROM steadytext_rerank(?, ?)", query, DOCUMENTS);

        assertThat(rerank("SELECT document, score FROM steadytext_rerank_top_k(?, ?, 2)", query, DOCUMENTS))
                .containsExactlyElementsOf(all.subList(0, 2));
        assertThat(documents("SELECT document FROM steadytext_rerank_docs_only(?, ?)", query, DOCUMENTS))
                .containsExactlyElementsOf(all.stream().map(Row::document).toList());
        assertThat(all.get(0).document()).isEqualTo("The stock market fell sharply today.");
        assertThat(jobs(query)).isOne();
    }

    @Test
    void batch_ranksForEachQuery_asTheSingleCallsDo() throws Exception {
        List<String> queries = List.of("a pet dog playing", "sleepy young cats");
        List<List<Row>> single = new ArrayList<>();
        for (String query : queries) {
            single.add(expectedRanking(query, DOCUMENTS));
        }
        List<List<Row>> batch = List.of(new ArrayList<>(), new ArrayList<>());
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT query_index, document, score FROM steadytext_rerank_batch(?, ?)")) {
            ps.setArray(1, c.createArrayOf("text", queries.toArray())); // queries
            ps.setArray(2, c.createArrayOf("text", DOCUMENTS.toArray())); // documents
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    batch.get(rs.getInt(1)).add(new Row(rs.getString(2), rs.getDouble(3)));
                }
            }
        }

        assertThat(batch).containsExactlyElementsOf(single);
        assertThat(batch.get(0).get(0).document()).isEqualTo("Dogs love to play fetch in the park.");
        assertThat(batch.get(1).get(0).document()).isEqualTo("Kittens sleep a lot.");
    }

    @Test
    void async_resultHoldsEveryScoreInDocumentOrder() throws Exception {
        String query = "stock prices";
        String id = Sql.text(db, "SELECT steadytext_rerank_async(?, ?::text[])", query,
                "{\"Kittens sleep a lot.\",\"The stock market fell sharply today.\"}");

        String result = Sql.text(db, "SELECT steadytext_get_async_result(?::uuid, 30)", id);

        Embedder embedder = platform.embedder();
        List<float[]> vectors = embedder.embed(List.of(query, "Kittens sleep a lot.", "The stock market fell sharply today."));
        assertThat(result).isEqualTo("[" + cosine(vectors.get(0), vectors.get(1)) + ","
                + cosine(vectors.get(0), vectors.get(2)) + "]");
        assertThat(Sql.text(db, "SELECT request_type || ' ' || status FROM steadytext_check_async(?::uuid)", id))
                .isEqualTo("rerank completed");
    }

    /** One result row; scores compare bit for bit. */
    record Row(String document, double score) {}

    /** The ranking computed in-process: the platform's Embedder, the cosine in double precision, stable sort. */
    private static List<Row> expectedRanking(String query, List<String> documents) {
        List<String> texts = new ArrayList<>();
        texts.add(query);
        texts.addAll(documents);
        List<float[]> vectors = platform.embedder().embed(texts);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            rows.add(new Row(documents.get(i), cosine(vectors.get(0), vectors.get(i + 1))));
        }
        rows.sort((a, b) -> Double.compare(b.score(), a.score()));
        return rows;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            normA += (double) a[i] * a[i];
            normB += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(normA * normB);
    }

    private static List<Row> rerank(String sql, String query, List<String> documents) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, query); // query
            ps.setArray(2, c.createArrayOf("text", documents.toArray())); // documents
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getDouble(2)));
                }
            }
        }
        return rows;
    }

    private static List<String> documents(String sql, String query, List<String> documents) throws SQLException {
        return rerank(sql.replace("SELECT document FROM", "SELECT document, 0::float8 FROM"), query, documents)
                .stream().map(Row::document).toList();
    }

    private static long jobs(String query) throws SQLException {
        return Sql.number(db, "SELECT count(*) FROM steadytext_queue WHERE request_type = 'rerank' AND prompt = ?", query);
    }
}
