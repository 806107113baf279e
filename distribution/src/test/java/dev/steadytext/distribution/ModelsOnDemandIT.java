package dev.steadytext.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.offset;

import dev.steadytext.platform.SteadyTextPlatform;
import dev.steadytext.testkit.TestDatabase;
import dev.steadytext.testkit.TinyGgufReranker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;

/**
 * Models on demand through the real platform, started without a generation model: a call naming a model of the
 * registry makes the worker download it (from a Hugging Face-style server inside this test), load it into llama.cpp
 * and register it, and then answers; what cannot be loaded fails at once with the reason, and nothing waits in the
 * queue for it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelsOnDemandIT {


    @TempDir
    static Path home;

    private static Path conf;
    /** A real (tiny, synthetic) GGUF reranker, configured by path. */
    private static Path tinyBertReranker;
    /** Serves the one file of test-org/tiny-stories; offline-stories points at a repository it does not have. */
    private static ModelFileServer server;
    private static TestDatabase db;
    private static SteadyTextPlatform platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        server = ModelFileServer.serving("test-org/tiny-stories", Distribution.stories260K());
        tinyBertReranker = TinyGgufReranker.write(home.resolve("tiny-bert-reranker.gguf"));
        conf = Files.createDirectories(home.resolve("conf"));
        writeModelSettings(true);
        db = ModelTestPlatform.databaseWithoutModels();
        platform = ModelTestPlatform.start(db, home, conf);
    }

    /**
     * The model settings: this test's server, two generation models of the stories260K file (one it serves), a
     * reranker entry for the same file, which llama.cpp's reranker backend refuses, and a real GGUF reranker by path.
     */
    private static void writeModelSettings(boolean downloads) throws IOException {
        Path file = conf.resolve("dev.steadytext.models.cfg");
        Files.writeString(file.resolveSibling("models.tmp"), String.join("\n",
                "downloads = " + downloads,
                "baseUrl = " + server.baseUrl(),
                ModelTestPlatform.storiesEntry("tiny-stories", "test-org/tiny-stories"),
                ModelTestPlatform.storiesEntry("offline-stories", "test-org/offline-stories"),
                "size.generation.mini = tiny-stories",
                // A reranker entry for a file that is no reranker: what a wrong registry entry gives its callers.
                "model.tiny-reranker.kind = reranking",
                "model.tiny-reranker.repository = test-org/tiny-stories",
                "model.tiny-reranker.file = stories260K.gguf",
                "model.tiny-reranker.sha256 = " + ModelTestPlatform.STORIES_SHA256,
                "model.tiny-bert-reranker.kind = reranking",
                "model.tiny-bert-reranker.path = " + tinyBertReranker, ""));
        Files.move(file.resolveSibling("models.tmp"), file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @AfterAll
    static void stop() {
        ModelTestPlatform.stop(platform, server);
    }

    @Test
    @Order(1)
    void generate_namingAModelNoWorkerServes_downloadsLoadsRegistersAndAnswers_thenHitsTheCache() throws Exception {
        String prompt = "Once upon a time";
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_models WHERE kind = 'generation'")).isZero();

        long start = System.nanoTime();
        String first = Sql.text(db, "SELECT steadytext_generate(?, 20, model => 'tiny-stories')", prompt);
        System.out.printf("models on demand: download, load and first answer in %d ms%n",
                (System.nanoTime() - start) / 1_000_000);
        String second = Sql.text(db, "SELECT steadytext_generate(?, 20, model => 'tiny-stories')", prompt);

        assertThat(first).startsWith(", there was a little girl");
        assertThat(second).isEqualTo(first);
        assertThat(server.downloads()).as("downloads").isOne();
        assertThat(home.resolve("models/test-org/tiny-stories/stories260K.gguf")).as("in the model cache")
                .isRegularFile().hasSize(Files.size(Distribution.stories260K()));
        assertThat(Sql.text(db, "SELECT name || ' ' || is_default FROM steadytext_models WHERE kind = 'generation'"))
                .isEqualTo("tiny-stories false");
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_queue WHERE prompt = ?", prompt)).as("jobs").isOne();
        assertThat(Sql.text(db, "SELECT status || ' ' || model_name || ' ' || bytes_done || '/' || bytes_total "
                + "FROM steadytext_model_loads WHERE requested = 'tiny-stories'"))
                .isEqualTo("ready tiny-stories " + Files.size(Distribution.stories260K()) + "/"
                        + Files.size(Distribution.stories260K()));
        assertThat(Sql.text(db, "SELECT 'tiny-stories' = ANY (models) FROM steadytext_worker_status()")).isEqualTo("t");
    }

    @Test
    @Order(2)
    void generate_bySizeOrByRepositoryAndFile_getTheModelAlreadyLoaded() throws Exception {
        String prompt = "The little dog";
        String byName = Sql.text(db, "SELECT steadytext_generate(?, 12, model => 'tiny-stories')", prompt);

        String bySize = Sql.text(db, "SELECT steadytext_generate(?, 12, size => 'mini')", prompt);
        String byFile = Sql.text(db, "SELECT steadytext_generate(?, 12, model_repo => 'test-org/tiny-stories', "
                + "model_filename => 'stories260K.gguf')", prompt);

        String streamed = Sql.text(db, "SELECT string_agg(c, '') FROM steadytext_generate_stream(?, 12, "
                + "model_repo => 'test-org/tiny-stories', model_filename => 'stories260K.gguf') AS c", prompt);
        SQLException repoWithoutFile = catchThrowableOfType(SQLException.class, () -> Sql.text(db,
                "SELECT string_agg(c, '') FROM steadytext_generate_stream(?, 12, model_repo => 'test-org/tiny-stories') AS c",
                prompt));

        assertThat(bySize).isEqualTo(byName);
        assertThat(byFile).isEqualTo(byName);
        assertThat(streamed).as("a stream keyed by repository and file").isEqualTo(byName);
        assertThat(repoWithoutFile.getSQLState()).isEqualTo("22023");
        assertThat(repoWithoutFile.getMessage()).contains("model_filename");
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_queue WHERE prompt = ?", prompt)).as("jobs").isOne();
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_models WHERE kind = 'generation'")).isOne();
        assertThat(server.downloads()).as("downloads").isOne();
    }

    @Test
    @Order(3)
    void generate_unknownModelName_is22023ListingTheKnownNames() {
        PSQLException e = (PSQLException) catchThrowableOfType(SQLException.class,
                () -> Sql.text(db, "SELECT steadytext_generate('x', model => 'no-such-model')"));

        assertThat(e.getSQLState()).isEqualTo("22023");
        assertThat(e.getServerErrorMessage().getMessage()).startsWith("steadytext_generate: no generation model is "
                + "named 'no-such-model'; known: ").contains("tiny-stories").contains("gemma-3-1b");
    }

    @Test
    @Order(4)
    void embed_namingAGgufEmbeddingModel_failsSayingThePlatformHasNoBackendForIt() {
        PSQLException e = (PSQLException) catchThrowableOfType(SQLException.class,
                () -> Sql.text(db, "SELECT steadytext_embed('x', model => 'nomic-embed-text-v1.5')"));

        assertThat(e.getSQLState()).isEqualTo("P0001");
        assertThat(e.getServerErrorMessage().getMessage()).contains("nomic-embed-text-v1.5")
                .contains("no backend for GGUF embedding models");
    }

    @Test
    @Order(5)
    void rerank_namingAGgufRerankerNoWorkerServes_isLoadedByTheWorker_whoseFailureTheCallerLearns() throws Exception {
        PSQLException e = (PSQLException) catchThrowableOfType(SQLException.class, () -> Sql.text(db,
                "SELECT count(*) FROM steadytext_rerank('a query', ARRAY['one document', 'another'], "
                        + "model => 'tiny-reranker')"));

        assertThat(e.getSQLState()).isEqualTo("P0001");
        assertThat(e.getServerErrorMessage().getMessage()).contains("tiny-reranker")
                .contains("llama.cpp cannot load reranker model").contains("is not a reranker model");
        assertThat(Sql.text(db, "SELECT status || ' ' || kind FROM steadytext_model_loads WHERE requested = 'tiny-reranker'"))
                .isEqualTo("failed reranking");
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_queue WHERE request_type = 'rerank'")).isZero();
        assertThat(server.downloads()).as("the file was in the model cache already").isOne();
    }

    @Test
    @Order(6)
    void rerank_namingAGgufRerankerOfTheRegistry_isLoadedIntoLlamaCpp_andRanksByItsScores() throws Exception {
        String sql = "SELECT document || '=' || score FROM steadytext_rerank(?, string_to_array(?, '|'), "
                + "model => 'tiny-bert-reranker')";
        String documents = String.join("|", TinyGgufReranker.DOCUMENTS);
        List<String> ranked;
        try (Connection c = db.connect()) {
            ranked = Sql.column(c, sql, TinyGgufReranker.QUERY, documents);
        }
        try (Connection c = db.connect()) {
            assertThat(Sql.column(c, sql, TinyGgufReranker.QUERY, documents)).as("again, from the cache")
                    .isEqualTo(ranked);
        }

        // By score, descending: the tiny model's scores put the second document first and the third last.
        double[] expected = TinyGgufReranker.expectedScores();
        int[] order = {1, 0, 2};
        assertThat(ranked).hasSize(3);
        for (int rank = 0; rank < 3; rank++) {
            String[] row = ranked.get(rank).split("=");
            assertThat(row[0]).isEqualTo(TinyGgufReranker.DOCUMENTS.get(order[rank]));
            assertThat(Double.parseDouble(row[1])).isCloseTo(expected[order[rank]],
                    offset(TinyGgufReranker.SCORE_TOLERANCE));
        }
        assertThat(Sql.text(db, "SELECT name || ' ' || backend FROM steadytext_models WHERE name = 'tiny-bert-reranker'"))
                .isEqualTo("tiny-bert-reranker llama.cpp");
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_queue WHERE request_type = 'rerank' "
                + "AND status = 'completed'")).as("the second call hit the cache").isOne();
    }

    @Test
    @Order(7)
    void rerank_besideASingleRerankerConfiguration_failsAtOnceSayingToRenameIt() throws Exception {
        Path single = conf.resolve("dev.steadytext.backend.llamacpp.reranker.cfg");
        Files.writeString(single, "modelPath = " + home.resolve("no-such-reranker.gguf") + "\nisDefault = false\n");
        try {
            // FileInstall applies the file within a second or two; until then the load fails as in the test above.
            PSQLException e = null;
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline) {
                e = (PSQLException) catchThrowableOfType(SQLException.class, () -> Sql.text(db,
                        "SELECT count(*) FROM steadytext_rerank('q', ARRAY['d'], model => 'tiny-reranker')"));
                if (e.getMessage().contains("rename")) {
                    break;
                }
                Thread.sleep(200);
            }

            assertThat(e.getSQLState()).isEqualTo("P0001");
            assertThat(e.getServerErrorMessage().getMessage()).contains("tiny-reranker")
                    .contains("single configuration dev.steadytext.backend.llamacpp.reranker")
                    .contains("dev.steadytext.backend.llamacpp.reranker~NAME.cfg");
        } finally {
            Files.delete(single);
        }
    }

    @Test
    @Order(8)
    void generate_callerWhoMayNotDownload_learnsWhereToPlaceTheFile_andNothingIsQueued() throws Exception {
        try (ModelTestPlatform.PlainCaller plain = new ModelTestPlatform.PlainCaller(db, "st_models_plain")) {
            PSQLException e = (PSQLException) catchThrowableOfType(SQLException.class, () -> Sql.text(
                    plain.connection(), "SELECT steadytext_generate('forbidden', model => 'offline-stories')"));

            assertThat(e.getSQLState()).isEqualTo("P0001");
            assertThat(e.getServerErrorMessage().getMessage()).contains("offline-stories")
                    .contains("allow_model_downloads_from_sql")
                    .contains("place the file at " + home.resolve("models/test-org/offline-stories/stories260K.gguf"));
            assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_queue WHERE prompt = 'forbidden'")).isZero();
            assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_model_requests WHERE status IN "
                    + "('pending', 'loading')")).as("requests left waiting").isZero();
        }
    }

    /** Last: it turns downloads off for the rest of the platform's life. */
    @Test
    @Order(9)
    void generate_downloadsForbiddenOnTheWorker_failsNamingTheFileToPlace_andNothingIsQueued() throws Exception {
        writeModelSettings(false);
        // FileInstall applies the edit within a second; until then the server's 404 fails the download instead.
        PSQLException e = null;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            e = (PSQLException) catchThrowableOfType(SQLException.class,
                    () -> Sql.text(db, "SELECT steadytext_generate('offline', model => 'offline-stories')"));
            if (e.getMessage().contains("downloads are forbidden")) {
                break;
            }
            Thread.sleep(100);
        }

        assertThat(e.getSQLState()).isEqualTo("P0001");
        assertThat(e.getServerErrorMessage().getMessage()).startsWith("steadytext_generate: model offline-stories is "
                + "not in the model cache and downloads are forbidden")
                .contains("place the file at " + home.resolve("models/test-org/offline-stories/stories260K.gguf"));
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_queue WHERE prompt = 'offline'")).isZero();
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_model_requests WHERE status IN "
                + "('pending', 'loading')")).as("requests left waiting").isZero();
    }
}
