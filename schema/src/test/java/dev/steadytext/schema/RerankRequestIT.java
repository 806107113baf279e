package dev.steadytext.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.steadytext.api.cache.CacheKey;
import dev.steadytext.testkit.CacheKeyVectors;
import dev.steadytext.testkit.CacheKeyVectors.Vector;
import dev.steadytext.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reranking functions against a fake worker ({@link FakeWorker#score}: shorter documents score higher): order by
 * score then position, one cache row per pair with the shared key, only missing pairs enqueued, the batch, async and
 * top-k forms, the default model, and bad input rejected before anything is enqueued.
 */
class RerankRequestIT {

    private static final String TASK = "Given a web search query, retrieve relevant passages that answer the query";

    private TestDatabase db;
    private String model;

    @BeforeEach
    void setUp() throws Exception {
        db = Fixture.database();
        Fixture.reset(db);
        model = Fixture.registerModel(db, "reranking", "rr-model", true);
    }

    @Test
    void rerank_ordersByScoreThenPosition_andCachesOneRowPerPairWithTheSharedKey() throws Exception {
        try (AutoCloseable worker = FakeWorker.running(db); Connection c = db.connect(); Statement s = c.createStatement()) {
            List<String> rows = rows(s, "SELECT document || '=' || score FROM steadytext_rerank('q', "
                    + "ARRAY['ccc', 'a', 'bb', 'dd'])");

            assertThat(rows).containsExactly("a=1", "bb=0.5", "dd=0.5", "ccc=" + FakeWorker.score("ccc"));
            assertThat(rows(s, "SELECT cache_key || ' ' || prompt || ' ' || response || ' ' || generation_params::text "
                    + "FROM steadytext_cache WHERE kind = 'reranking' ORDER BY prompt")).containsExactly(
                    row("a", "1.0"), row("bb", "0.5"), row("ccc", Double.toString(FakeWorker.score("ccc"))),
                    row("dd", "0.5"));
            assertThat(one(s, "SELECT steadytext_rerank_cache_key('q', 'bb')"))
                    .isEqualTo(CacheKey.forReranking(model, TASK, "q", "bb"));
            assertThat(one(s, "SELECT count(*) || ' ' || min(request_type) || ' ' || min(prompt) FROM steadytext_queue"))
                    .isEqualTo("1 rerank q");
        }
    }

    private String row(String document, String score) {
        return CacheKey.forReranking(model, TASK, "q", document) + " " + document + " " + score
                + " {\"task\": \"" + TASK + "\", \"query\": \"q\"}";
    }

    @Test
    void rerank_again_isAnsweredFromTheCacheWithoutAJob_andCountsHits() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            try (AutoCloseable worker = FakeWorker.running(db)) {
                rows(s, "SELECT * FROM steadytext_rerank('q', ARRAY['one', 'three'])");
            }
            // No worker now: a miss would time out.
            s.execute("SET steadytext.sync_timeout = '1s'");
            assertThat(rows(s, "SELECT document FROM st_rerank('q', ARRAY['three', 'one'])")).containsExactly("one", "three");
            assertThat(one(s, "SELECT count(*) FROM steadytext_queue")).isEqualTo("1");
            assertThat(one(s, "SELECT hits || '/' || misses FROM steadytext_cache_stats() WHERE kind = 'reranking'"))
                    .isEqualTo("2/2");
        }
    }

    @Test
    void rerank_partlyCached_enqueuesOnlyTheMissingDocumentsEachOnce() throws Exception {
        try (AutoCloseable worker = FakeWorker.running(db); Connection c = db.connect(); Statement s = c.createStatement()) {
            rows(s, "SELECT * FROM steadytext_rerank('q', ARRAY['a', 'bb'])");
            List<String> rows = rows(s, "SELECT document FROM steadytext_rerank('q', ARRAY['a', 'bb', 'cccc', 'ddd', 'cccc'])");

            assertThat(rows).containsExactly("a", "bb", "ddd", "cccc", "cccc");
            assertThat(rows(s, "SELECT params -> 'documents' FROM steadytext_queue ORDER BY created_at"))
                    .containsExactly("[\"a\", \"bb\"]", "[\"cccc\", \"ddd\"]");
        }
    }

    @Test
    void docsOnly_topK_andReturnScoresFalse_keepTheOrder() throws Exception {
        try (AutoCloseable worker = FakeWorker.running(db); Connection c = db.connect(); Statement s = c.createStatement()) {
            String docs = "ARRAY['xxx', 'y', 'zz']";
            assertThat(rows(s, "SELECT * FROM steadytext_rerank_docs_only('q', " + docs + ")"))
                    .containsExactly("y", "zz", "xxx");
            assertThat(rows(s, "SELECT document || ':' || score FROM steadytext_rerank_top_k('q', " + docs + ", 2)"))
                    .containsExactly("y:1", "zz:0.5");
            assertThat(rows(s, "SELECT document || ':' || coalesce(score::text, 'null') FROM "
                    + "st_rerank_top_k('q', " + docs + ", 5, return_scores => false)"))
                    .containsExactly("y:null", "zz:null", "xxx:null");
            assertThat(rows(s, "SELECT document FROM st_rerank_docs_only('q', " + docs + ")")).containsExactly("y", "zz", "xxx");
            assertThat(one(s, "SELECT count(*) FROM steadytext_queue")).as("one job, then the cache").isEqualTo("1");
        }
    }

    @Test
    void batch_givesEachQueryItsOwnRanking_fromZero_inOneRoundOfJobs() throws Exception {
        try (AutoCloseable worker = FakeWorker.running(db); Connection c = db.connect(); Statement s = c.createStatement()) {
            List<String> rows = rows(s, "SELECT query_index || ':' || document FROM steadytext_rerank_batch("
                    + "ARRAY['first', 'second', 'first'], ARRAY['bbb', 'a'])");

            assertThat(rows).containsExactly("0:a", "0:bbb", "1:a", "1:bbb", "2:a", "2:bbb");
            assertThat(one(s, "SELECT string_agg(prompt, ',' ORDER BY prompt) FROM steadytext_queue"))
                    .as("one job per distinct query").isEqualTo("first,second");
            assertThat(one(s, "SELECT count(*) FROM steadytext_cache WHERE kind = 'reranking'")).isEqualTo("4");
        }
    }

    @Test
    void async_resultIsEveryScoreInDocumentOrder_andAllCachedCompletesAtOnce() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            String id;
            try (AutoCloseable worker = FakeWorker.running(db)) {
                id = one(s, "SELECT steadytext_rerank_async('q', ARRAY['bb', 'a', 'bb'])");
                assertThat(one(s, "SELECT steadytext_get_async_result('" + id + "', 10)")).isEqualTo("[0.5,1.0,0.5]");
                assertThat(one(s, "SELECT request_type || ' ' || status FROM steadytext_check_async('" + id + "')"))
                        .isEqualTo("rerank completed");
            }
            // Every pair cached now: no worker needed.
            String again = one(s, "SELECT st_rerank_async('q', ARRAY['a', 'bb'])");
            assertThat(one(s, "SELECT status || ' ' || result FROM steadytext_check_async('" + again + "')"))
                    .isEqualTo("completed [1.0, 0.5]");
            String[] ids = one(s, "SELECT steadytext_rerank_batch_async(ARRAY['q', 'other'], ARRAY['a'])")
                    .replaceAll("[{}]", "").split(",");
            assertThat(ids).hasSize(2);
            assertThat(one(s, "SELECT status FROM steadytext_check_async('" + ids[0] + "')")).isEqualTo("completed");
            assertThat(one(s, "SELECT status || ' ' || (params ->> 'documents') FROM steadytext_queue "
                    + "WHERE request_id = '" + ids[1] + "'")).isEqualTo("pending [\"a\"]");
        }
    }

    @Test
    void defaultModel_prefersAConfiguredRerankerOverEmbeddingSimilarity_andModelNamesEither() throws Exception {
        String similarity = registerSimilarity();
        try (AutoCloseable worker = FakeWorker.running(db); Connection c = db.connect(); Statement s = c.createStatement()) {
            rows(s, "SELECT * FROM steadytext_rerank('q', ARRAY['a'])");
            rows(s, "SELECT * FROM steadytext_rerank('q', ARRAY['a'], model => 'embedding-similarity')");

            assertThat(rows(s, "SELECT model_fingerprint FROM steadytext_queue ORDER BY created_at"))
                    .containsExactly(model, similarity);
            s.execute("UPDATE steadytext_models SET is_default = false WHERE fingerprint = '" + model + "'");
            assertThat(one(s, "SELECT steadytext_rerank_cache_key('q', 'a')"))
                    .isEqualTo(CacheKey.forReranking(similarity, TASK, "q", "a"));
        }
    }

    private String registerSimilarity() throws SQLException {
        String fingerprint = Fixture.sha256Hex("similarity");
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO steadytext_models (fingerprint, kind, name, backend, backend_version, model_sha256,
                                               settings, is_default)
                VALUES (?, 'reranking', 'embedding-similarity', 'embedding-similarity', '1', ?, '', true)
                """)) {
            ps.setString(1, fingerprint); // fingerprint
            ps.setString(2, fingerprint); // model_sha256
            ps.executeUpdate();
        }
        return fingerprint;
    }

    @Test
    void sharedVectors_giveTheKeysOfTheRerankCacheKeyFunction() throws Exception {
        List<Vector> vectors = CacheKeyVectors.load().stream().filter(v -> v.kind().equals("reranking")).toList();
        assertThat(vectors).hasSizeGreaterThanOrEqualTo(5);
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement("SELECT steadytext_rerank_cache_key(?, ?, ?, ?)")) {
            for (Vector v : vectors) {
                try (PreparedStatement register = c.prepareStatement("""
                        INSERT INTO steadytext_models (fingerprint, kind, name, backend, backend_version, model_sha256,
                                                       settings)
                        VALUES (?, 'reranking', ?, 'test', '1', ?, '') ON CONFLICT DO NOTHING
                        """)) {
                    register.setString(1, v.model()); // fingerprint
                    register.setString(2, "vector-" + v.model().substring(0, 8)); // name
                    register.setString(3, v.model()); // model_sha256
                    register.executeUpdate();
                }
                ps.setString(1, v.extraParams().get("query")); // query
                ps.setString(2, v.input()); // document
                ps.setString(3, v.extraParams().get("task")); // task
                ps.setString(4, v.model()); // model, by fingerprint
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getString(1)).as(v.name()).isEqualTo(v.key());
                }
            }
        }
    }

    @Test
    void noRerankingModel_isA55000() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM steadytext_models WHERE kind = 'reranking'");
            SQLException e = catchThrowableOfType(SQLException.class,
                    () -> s.execute("SELECT * FROM steadytext_rerank('q', ARRAY['a'])"));
            assertThat(e.getSQLState()).isEqualTo("55000");
            assertThat(e.getMessage()).contains("no worker has registered a reranking model");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            steadytext_rerank(NULL, ARRAY['a'])                              | 22004 | query
            steadytext_rerank('q', NULL)                                     | 22004 | documents
            steadytext_rerank('q', ARRAY['a', NULL])                         | 22004 | documents[2]
            steadytext_rerank('q', ARRAY['a'], NULL)                         | 22004 | task
            steadytext_rerank('q', ARRAY['a'], 't', NULL)                    | 22004 | return_scores
            steadytext_rerank('q', ARRAY['a'], 't', true, NULL)              | 22004 | seed
            steadytext_rerank('', ARRAY['a'])                                | 22023 | query
            steadytext_rerank('q', ARRAY[]::text[])                          | 22023 | documents
            steadytext_rerank('q', ARRAY['a', ''])                           | 22023 | documents[2]
            steadytext_rerank('q', ARRAY['a'], seed => -1)                   | 22023 | seed
            steadytext_rerank('q', ARRAY['a'], model => 'nope:x')            | 22023 | unsafe_mode
            steadytext_rerank(repeat('q', 65537), ARRAY['a'])                | 54000 | query
            steadytext_rerank('q', ARRAY['a', repeat('d', 65537)])           | 54000 | documents[2]
            steadytext_rerank('q', ARRAY['a'], repeat('t', 65537))           | 54000 | task
            steadytext_rerank_docs_only('', ARRAY['a'])                      | 22023 | query
            steadytext_rerank_top_k('q', ARRAY['a'], 0)                      | 22023 | top_k
            steadytext_rerank_top_k('q', ARRAY['a'], NULL)                   | 22004 | top_k
            steadytext_rerank_top_k('q', ARRAY['a'], -3)                     | 22023 | top_k
            steadytext_rerank_batch(ARRAY[]::text[], ARRAY['a'])             | 22023 | queries
            steadytext_rerank_batch(ARRAY['q', NULL], ARRAY['a'])            | 22004 | queries[2]
            steadytext_rerank_batch(ARRAY['q'], ARRAY[]::text[])             | 22023 | documents
            steadytext_rerank_async('', ARRAY['a'])                          | 22023 | query
            steadytext_rerank_async('q', ARRAY[NULL]::text[])                | 22004 | documents[1]
            steadytext_rerank_batch_async(ARRAY['q', ''], ARRAY['a'])        | 22023 | queries[2]
            steadytext_rerank_cache_key('q', NULL)                           | 22004 | documents[1]
            """)
    void badInput_isRejectedAndNothingIsEnqueued(String call, String sqlState, String named) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            SQLException e = catchThrowableOfType(SQLException.class, () -> s.execute("SELECT * FROM " + call));
            assertThat((Throwable) e).as(call).isNotNull();
            assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(sqlState);
            assertThat(e.getMessage()).contains(named);
            assertThat(one(s, "SELECT count(*) FROM steadytext_queue")).isEqualTo("0");
            assertThat(one(s, "SELECT count(*) FROM steadytext_cache_access")).isEqualTo("0");
        }
    }

    @Test
    void cacheClear_reranking_deletesOnlyScores() throws Exception {
        try (AutoCloseable worker = FakeWorker.running(db); Connection c = db.connect(); Statement s = c.createStatement()) {
            rows(s, "SELECT * FROM steadytext_rerank('q', ARRAY['a', 'b'])");
            s.execute("INSERT INTO steadytext_cache (cache_key, kind, model_fingerprint, prompt, response, response_size) "
                    + "VALUES ('g', 'generation', 'm', 'p', 'r', 1)");

            assertThat(one(s, "SELECT steadytext_cache_clear('reranking')")).isEqualTo("2");
            assertThat(one(s, "SELECT string_agg(kind, ',') FROM steadytext_cache")).isEqualTo("generation");
        }
    }

    private static String one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static List<String> rows(Statement s, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
