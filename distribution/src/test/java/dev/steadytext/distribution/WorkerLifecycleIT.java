package dev.steadytext.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.steadytext.testkit.PostgresExtension;
import dev.steadytext.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workers that stop, crash and come back, as separate {@code steadytext run} processes. */
class WorkerLifecycleIT {

    private static final Duration READY = Duration.ofSeconds(90);
    private static final Pattern REQUEST_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @TempDir
    Path home;

    private final Path logs = Distribution.logDirectory(WorkerLifecycleIT.class);
    private TestDatabase db;
    private Path conf;

    @BeforeEach
    void setUp() throws Exception {
        db = PostgresExtension.database();
        db.truncateSteadytext("public"); // the tests of this class share one database
        conf = Files.createDirectories(home.resolve("conf"));
        // Short leases: a killed worker's jobs come back within seconds instead of 30.
        Files.writeString(conf.resolve("dev.steadytext.worker.cfg"), "leaseMillis=3000\nheartbeatMillis=500\n");
    }

    private PlatformProcess startWorker(String name) throws Exception {
        PlatformProcess worker = PlatformProcess.builder(logs, name).database(db).home(home)
                .generationModel(Distribution.stories260K()).arguments("--config", conf.toString()).start();
        worker.awaitReady(READY);
        db.createLoopbackServerIfExternal();
        return worker;
    }

    @Test
    void outputsAreByteIdenticalAcrossWorkerRestarts() throws Exception {
        String text;
        String vector;
        try (PlatformProcess first = startWorker("determinism-1")) {
            text = Sql.text(db, "SELECT steadytext_generate('Once upon a time', 64)");
            vector = Sql.text(db, "SELECT steadytext_embed('determinism')::text");
            assertThat(first.terminate(Duration.ofSeconds(60))).isEqualTo(143);
        }
        Sql.text(db, "SELECT steadytext_cache_clear()");
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_cache")).isZero();

        try (PlatformProcess second = startWorker("determinism-2")) {
            assertThat(Sql.text(db, "SELECT steadytext_generate('Once upon a time', 64)")).isEqualTo(text);
            assertThat(Sql.text(db, "SELECT steadytext_embed('determinism')::text")).isEqualTo(vector);
            assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_queue WHERE prompt = 'determinism'"))
                    .as("computed again, not served from an old cache row").isEqualTo(2);
            second.terminate(Duration.ofSeconds(60));
        }
        // Generation, embedding, and the embedding-similarity reranker over the embedding model.
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_models")).as("the same fingerprints").isEqualTo(3);
    }

    @Test
    void workerDown_syncCallTimesOutNamingTheRequest_andTheJobIsServedWhenAWorkerReturns() throws Exception {
        try (PlatformProcess first = startWorker("down-1")) {
            first.terminate(Duration.ofSeconds(60)); // models are registered; now no worker runs
        }
        String requestId;
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET steadytext.sync_timeout = '1s'");
            SQLException timeout = (SQLException) catchThrowable(
                    () -> Sql.text(connection, "SELECT steadytext_generate('Nobody is listening', 20)"));
            assertThat(timeout.getSQLState()).isEqualTo("57014");
            Matcher id = REQUEST_ID.matcher(timeout.getMessage());
            assertThat(id.find()).as(timeout.getMessage()).isTrue();
            requestId = id.group();
        }
        assertThat(Sql.text(db, "SELECT status FROM steadytext_queue WHERE request_id = ?::uuid", requestId)).isEqualTo("pending");

        try (PlatformProcess second = startWorker("down-2")) {
            String result = Sql.text(db, "SELECT steadytext_get_async_result(?::uuid, 30)", requestId);
            assertThat(result).isNotBlank();
            assertThat(Sql.text(db, "SELECT steadytext_generate('Nobody is listening', 20)")).isEqualTo(result);
            second.terminate(Duration.ofSeconds(60));
        }
    }

    @Test
    void killedMidBatch_noJobIsLost() throws Exception {
        long heldAtKill;
        try (PlatformProcess victim = startWorker("kill-1")) {
            List<String> ids;
            try (Connection connection = db.connect()) {
                ids = Sql.column(connection, """
                        SELECT unnest(steadytext_generate_batch_async(
                            array(SELECT 'Story number ' || i FROM generate_series(1, 40) AS i), 200))::text
                        """);
            }
            assertThat(ids).hasSize(40);
            awaitCompleted(5, Duration.ofSeconds(60));
            victim.kill();
            heldAtKill = Sql.number(db, "SELECT count(*) FROM steadytext_queue WHERE status = 'processing'");
        }
        System.out.printf("killed the worker with %d jobs claimed and %d completed%n", heldAtKill,
                Sql.number(db, "SELECT count(*) FROM steadytext_queue WHERE status = 'completed'"));

        try (PlatformProcess survivor = startWorker("kill-2")) {
            awaitCompleted(40, Duration.ofSeconds(120));
            survivor.terminate(Duration.ofSeconds(60));
        }
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_queue WHERE status = 'completed' AND result IS NOT NULL"))
                .isEqualTo(40);
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_queue WHERE attempts >= 2"))
                .as("the jobs the killed worker held were taken over").isEqualTo(heldAtKill);
        assertThat(Sql.number(db, "SELECT count(DISTINCT cache_key) FROM steadytext_cache WHERE prompt LIKE 'Story number %'"))
                .isEqualTo(40);
    }

    private void awaitCompleted(int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (Sql.number(db, "SELECT count(*) FROM steadytext_queue WHERE status = 'completed' AND prompt LIKE 'Story number %'") < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + count + " jobs completed within " + timeout);
            }
            Thread.sleep(20);
        }
    }
}
