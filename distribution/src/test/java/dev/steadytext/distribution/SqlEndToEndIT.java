package dev.steadytext.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.platform.SteadyTextPlatform;
import dev.steadytext.testkit.PostgresExtension;
import dev.steadytext.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL surface answered by the real platform: Felix with the assembled bundles, llama.cpp with stories260K and
 * ONNX Runtime with all-MiniLM-L6-v2, serving the testkit database.
 */
class SqlEndToEndIT {

    private static final String PROMPT = "Once upon a time";

    @TempDir
    static Path home;

    private static TestDatabase db;
    private static SteadyTextPlatform platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        db = PostgresExtension.database();
        Path conf = Files.createDirectories(home.resolve("conf"));
        // Heartbeats every 200 ms make pausing take effect quickly.
        Files.writeString(conf.resolve("dev.steadytext.worker.cfg"), "heartbeatMillis=200\n");
        platform = InProcessPlatform.start(InProcessPlatform.options(db, home)
                .configDirectory(conf)
                .generationModel(Distribution.stories260K())
                .build());
        db.createLoopbackServerIfExternal();
        platform.embedder(); // both models loaded before the first request
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void generate_computesOnceThenServesTheSameBytesFromTheCache() throws Exception {
        String first = Sql.text(db, "SELECT steadytext_generate(?, 40)", PROMPT);
        String second = Sql.text(db, "SELECT steadytext_generate(?, 40)", PROMPT);

        assertThat(first).startsWith(", there was a little girl named Lily");
        assertThat(second).isEqualTo(first);
        String key = Sql.text(db, "SELECT steadytext_cache_key(?, 40)", PROMPT);
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_queue WHERE cache_key = ?", key)).as("jobs").isOne();
        assertThat(Sql.text(db, "SELECT response FROM steadytext_cache WHERE cache_key = ?", key)).isEqualTo(first);
        awaitTrue("the hit is folded into access_count within 2 s", Duration.ofSeconds(2),
                "SELECT access_count >= 1 FROM steadytext_cache WHERE cache_key = ?", key);
    }

    @Test
    void generate_maxTokensAndSeedArePartOfTheKey() throws Exception {
        String ten = Sql.text(db, "SELECT steadytext_generate(?, 10)", "The little dog");
        String twenty = Sql.text(db, "SELECT steadytext_generate(?, 20)", "The little dog");
        String otherSeed = Sql.text(db, "SELECT steadytext_generate(?, 10, seed := 7)", "The little dog");

        assertThat(twenty).as("greedy decoding: the longer answer extends the shorter").startsWith(ten).isNotEqualTo(ten);
        assertThat(otherSeed).as("greedy decoding ignores the seed, but it is keyed").isEqualTo(ten);
        assertThat(Sql.number(db, "SELECT count(DISTINCT cache_key) FROM steadytext_cache WHERE prompt = ?", "The little dog"))
                .isEqualTo(3);
    }

    @Test
    void embed_is384DimensionsNormalised_andBatchRowsAreBitIdenticalToSingleTexts() throws Exception {
        assertThat(Sql.number(db, "SELECT array_length(steadytext_embed('hello'), 1)")).isEqualTo(384);
        double norm = Double.parseDouble(Sql.text(db,
                "SELECT sqrt(sum(x::float8 * x::float8)) FROM unnest(steadytext_embed('hello')::real[]) AS x"));
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));

        List<String> identical;
        try (Connection connection = db.connect()) {
            identical = Sql.column(connection, """
                    SELECT b.embedding::real[] = steadytext_embed(b.text, use_cache := false)::real[]
                      FROM steadytext_embed_batch(ARRAY['a cat sat on the mat', 'hello',
                           'PostgreSQL is a relational database with a long history and many extensions', 'x']) AS b
                    """);
        }
        assertThat(identical).containsExactly("t", "t", "t", "t");
    }

    @Test
    void async_requestIsAnsweredWithTheSameTextAsTheSyncCall() throws Exception {
        String id = Sql.text(db, "SELECT steadytext_generate_async(?, 30)", "A big red ball");

        String result = Sql.text(db, "SELECT steadytext_get_async_result(?::uuid, 30)", id);

        assertThat(result).isEqualTo(Sql.text(db, "SELECT steadytext_generate(?, 30)", "A big red ball"));
        assertThat(Sql.text(db, "SELECT status || ' ' || (processing_time_ms IS NOT NULL) FROM steadytext_check_async(?::uuid)", id))
                .isEqualTo("completed true");
    }

    @Test
    void cancel_whileWorkersArePaused_theRequestIsNeverComputed() throws Exception {
        Sql.text(db, "SELECT steadytext_daemon_stop()");
        try {
            Thread.sleep(800); // four heartbeats: every worker has seen the pause
            String id = Sql.text(db, "SELECT steadytext_generate_async(?, 10)", "Never computed");
            Thread.sleep(500);
            assertThat(Sql.text(db, "SELECT status FROM steadytext_check_async(?::uuid)", id)).isEqualTo("pending");

            assertThat(Sql.text(db, "SELECT steadytext_cancel_async(?::uuid)", id)).isEqualTo("t");
            Sql.text(db, "SELECT steadytext_daemon_start()");
            Thread.sleep(800);

            assertThat(Sql.text(db, "SELECT status FROM steadytext_check_async(?::uuid)", id)).isEqualTo("cancelled");
            assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_cache WHERE prompt = ?", "Never computed")).isZero();
        } finally {
            Sql.text(db, "SELECT steadytext_daemon_start()");
        }
    }

    @Test
    void singleFlight_sixteenSessionsAskingTheSameUncachedPrompt_runOneJob() throws Exception {
        String prompt = "Sixteen friends went to the park";
        int sessions = 16;
        CyclicBarrier together = new CyclicBarrier(sessions);
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            answers.add(pool.submit(() -> {
                try (Connection connection = db.connect()) {
                    together.await();
                    return Sql.text(connection, "SELECT steadytext_generate(?, 48)", prompt);
                }
            }));
        }
        List<String> texts = new ArrayList<>();
        for (Future<String> answer : answers) {
            texts.add(answer.get());
        }
        pool.shutdown();

        assertThat(texts).hasSize(sessions).allSatisfy(text -> assertThat(text).isEqualTo(texts.get(0)).isNotBlank());
        String key = Sql.text(db, "SELECT steadytext_cache_key(?, 48)", prompt);
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_queue WHERE cache_key = ?", key)).as("jobs").isOne();
    }

    @Test
    void workerStatus_listsThisWorkerWithBothModels() throws Exception {
        Sql.text(db, "SELECT steadytext_generate('status check', 5)");

        String row = Sql.text(db, "SELECT array_to_string(models, ',') FROM steadytext_worker_status() WHERE worker_id = ?::uuid",
                platform.worker().id().toString());

        assertThat(row).contains("stories260K").contains("all-MiniLM-L6-v2");
    }

    private static void awaitTrue(String what, Duration timeout, String sql, Object... parameters) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos() + Duration.ofMillis(500).toNanos();
        while (!"t".equals(Sql.text(db, sql, parameters))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not true after " + timeout);
            }
            Thread.sleep(50);
        }
    }
}
