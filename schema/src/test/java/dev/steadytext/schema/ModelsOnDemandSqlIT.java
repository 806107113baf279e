package dev.steadytext.schema;

import static dev.steadytext.schema.SyncRequestIT.awaitClaim;
import static dev.steadytext.schema.SyncRequestIT.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.steadytext.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.util.PSQLException;

/**
 * The SQL half of models on demand (095-models.sql): a call naming a model no live worker serves files one load
 * request through the loopback and waits for the worker's answer; bad argument combinations are refused before
 * anything is queued. The worker's half is played here with plain SQL, as {@link FakeWorker} plays the job queue's.
 */
class ModelsOnDemandSqlIT {

    private final ExecutorService callers = Executors.newCachedThreadPool();
    private TestDatabase db;
    private UUID workerId;

    @BeforeEach
    void setUp() throws Exception {
        db = Fixture.database();
        Fixture.reset(db);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM steadytext_model_requests");
            s.execute("SELECT steadytext_config_set('allow_model_downloads_from_sql', 'false')");
        }
        Fixture.registerModel(db, "generation", "gen-model", true);
        workerId = UUID.randomUUID();
    }

    @AfterEach
    void tearDown() {
        callers.shutdownNow();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            steadytext_generate('x', model => 'tiny', size => 'small')                      | model or size
            steadytext_generate('x', model => 'm', model_repo => 'o/r', model_filename => 'f') | model or model_repo
            steadytext_generate('x', model_repo => 'owner/name')                              | model_filename is
            steadytext_generate('x', model_filename => 'file.gguf')                           | model_repo is required
            steadytext_generate('x', size => 'mini', model_repo => 'o/r', model_filename => 'f') | size chooses
            steadytext_generate('x', model_repo => '../etc', model_filename => 'passwd')      | model_repo must be
            steadytext_generate('x', model_repo => 'o/r', model_filename => '../secret.gguf') | model_filename must be
            steadytext_generate('x', model_repo => 'o/r', model_filename => '')               | must not be empty
            steadytext_generate('x', size => 'Huge')                                          | size must be
            steadytext_generate('x', model => '  ')                                           | model must not be
            steadytext_generate_async('x', model => 'tiny', size => 'small')                 | model or size
            steadytext_generate_batch_async(ARRAY['x'], model_repo => 'owner/name')           | model_filename is
            """)
    void badModelArguments_areRefusedWith22023_beforeAnythingIsQueued(String call, String message) throws Exception {
        workerServing(); // a live worker: nothing but the arguments stands in the way
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            SQLException e = catchThrowableOfType(SQLException.class, () -> s.execute("SELECT " + call));

            assertThat((Throwable) e).as(call).isNotNull();
            assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("22023");
            assertThat(e.getMessage()).contains(message);
            assertThat(one(s, "SELECT count(*) FROM steadytext_model_requests")).isEqualTo("0");
            assertThat(one(s, "SELECT count(*) FROM steadytext_queue")).isEqualTo("0");
        }
    }

    @Test
    void unregisteredModel_isLoadedByTheWorker_andTheCallProceedsWithItsFingerprint() throws Exception {
        workerServing();
        Future<String> answer = callers.submit(() -> generate("SELECT steadytext_generate('once', model => 'tiny')"));
        try (Connection w = db.connect(); Statement s = w.createStatement()) {
            UUID request = awaitPendingRequest(s);
            assertThat(one(s, "SELECT kind || ' ' || model || ' ' || may_download || ' ' || (requester = current_user) "
                    + "FROM steadytext_model_requests")).isEqualTo("generation tiny true true");
            String fingerprint = load(w, request, "tiny");

            FakeWorker worker = new FakeWorker();
            FakeWorker.Claimed job = awaitClaim(worker, w);
            assertThat(job.modelFingerprint()).isEqualTo(fingerprint);
            worker.completeGeneration(w, job, "from tiny");
            assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("from tiny");

            // The name is registered now: the next call is a hit, with no request to the worker.
            assertThat(generate("SELECT steadytext_generate('once', model => 'tiny')")).isEqualTo("from tiny");
            assertThat(one(s, "SELECT count(*) || ' ' || min(status) FROM steadytext_model_requests"))
                    .isEqualTo("1 ready");
            assertThat(one(s, "SELECT requested || ' ' || status || ' ' || model_name FROM steadytext_model_loads"))
                    .isEqualTo("tiny ready tiny");
        }
    }

    @Test
    void noDefaultGenerationModelServed_aCallNamingNoneHasTheWorkerLoadTheDefault() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM steadytext_models WHERE kind = 'generation'");
        }
        workerServing();
        Future<String> answer = callers.submit(() -> generate("SELECT steadytext_generate_async('x')"));
        try (Connection w = db.connect(); Statement s = w.createStatement()) {
            UUID request = awaitPendingRequest(s);
            assertThat(one(s, "SELECT r.kind || ' ' || l.requested || ' ' || (r.model IS NULL AND r.size IS NULL "
                    + "AND r.model_repo IS NULL AND r.model_filename IS NULL) FROM steadytext_model_requests r "
                    + "JOIN steadytext_model_loads l USING (request_id)"))
                    .isEqualTo("generation default true");
            String fingerprint = load(w, request, "tiny");

            answer.get(10, TimeUnit.SECONDS);
            assertThat(one(s, "SELECT model_fingerprint FROM steadytext_queue WHERE prompt = 'x'")).isEqualTo(fingerprint);
        }
    }

    @Test
    void registeredDefaultThatNoLiveWorkerServes_aCallNamingNoneHasTheWorkerLoadTheDefaultAgain() throws Exception {
        // gen-model is registered as the default, as a model loaded on demand before a restart stays registered;
        // the live worker serves nothing.
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO steadytext_workers (worker_id, host, pid, models) VALUES (?, 'test', 1, '{}')")) {
            ps.setObject(1, workerId); // worker_id
            ps.executeUpdate();
        }
        Future<String> answer = callers.submit(() -> generate("SELECT steadytext_generate_async('y')"));
        try (Connection w = db.connect(); Statement s = w.createStatement()) {
            UUID request = awaitPendingRequest(s);
            assertThat(one(s, "SELECT requested FROM steadytext_model_loads")).isEqualTo("default");
            String fingerprint = load(w, request, "tiny");

            answer.get(10, TimeUnit.SECONDS);
            assertThat(one(s, "SELECT model_fingerprint FROM steadytext_queue WHERE prompt = 'y'")).isEqualTo(fingerprint);
        }
    }

    @Test
    void identicalConcurrentRequests_collapseIntoOneLoad() throws Exception {
        workerServing();
        Future<String> first = callers.submit(() -> generate("SELECT steadytext_generate_async('a', model => 'tiny')"));
        Future<String> second = callers.submit(
                () -> generate("SELECT steadytext_generate_async('b', model => 'TINY ')"));
        try (Connection w = db.connect(); Statement s = w.createStatement()) {
            UUID request = awaitPendingRequest(s);
            Thread.sleep(300); // both callers are waiting by now
            String fingerprint = load(w, request, "tiny");

            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
            assertThat(one(s, "SELECT count(*) FROM steadytext_model_requests")).isEqualTo("1");
            assertThat(one(s, "SELECT count(DISTINCT model_fingerprint) || ' ' || min(model_fingerprint) "
                    + "FROM steadytext_queue")).isEqualTo("1 " + fingerprint);
        }
    }

    @Test
    void sizeAndRepositoryFile_chooseThroughTheWorker_andTheChoiceIsRememberedWhileServed() throws Exception {
        workerServing();
        try (Connection w = db.connect(); Statement s = w.createStatement()) {
            Future<String> sized = callers.submit(
                    () -> generate("SELECT steadytext_generate_async('x', size => 'small')"));
            String fingerprint = load(w, awaitPendingRequest(s), "tiny");
            sized.get(10, TimeUnit.SECONDS);
            Future<String> byFile = callers.submit(() -> generate("SELECT steadytext_generate_async('y', "
                    + "model_repo => 'test-org/tiny-stories', model_filename => 'stories260K.gguf')"));
            load(w, awaitPendingRequest(s), "tiny");
            byFile.get(10, TimeUnit.SECONDS);

            // Asked again, the same arguments need no worker: the earlier answer holds while the model is served.
            generate("SELECT steadytext_generate_async('z', size => 'small')");
            assertThat(one(s, "SELECT string_agg(coalesce(size, model_repo || '/' || model_filename), ', ' "
                    + "ORDER BY created_at) FROM steadytext_model_requests"))
                    .isEqualTo("small, test-org/tiny-stories/stories260K.gguf");
            assertThat(one(s, "SELECT count(*) FROM steadytext_queue WHERE model_fingerprint = '" + fingerprint + "'"))
                    .isEqualTo("3");
        }
    }

    @Test
    void workerFailure_reachesTheCallerWithItsSqlState_andNothingIsQueued() throws Exception {
        workerServing();
        Future<String> answer = callers.submit(() -> generate("SELECT steadytext_generate('x', model => 'nope')"));
        try (Connection w = db.connect(); Statement s = w.createStatement()) {
            UUID request = awaitPendingRequest(s);
            fail(w, request, "no generation model is named 'nope'; known: gemma-3-1b, tiny", "22023");

            PSQLException e = (PSQLException) catchThrowableOfType(java.util.concurrent.ExecutionException.class,
                    () -> answer.get(10, TimeUnit.SECONDS)).getCause();
            assertThat(e.getSQLState()).isEqualTo("22023");
            assertThat(e.getServerErrorMessage().getMessage())
                    .isEqualTo("steadytext_generate: no generation model is named 'nope'; known: gemma-3-1b, tiny");
            assertThat(one(s, "SELECT count(*) FROM steadytext_queue")).isEqualTo("0");
        }
    }

    @Test
    void noAnswerInTime_raises57014NamingTheModel_andTheRequestStaysForTheWorker() throws Exception {
        workerServing();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SET steadytext.sync_timeout = '300ms'");
            PSQLException e = (PSQLException) catchThrowableOfType(SQLException.class,
                    () -> s.execute("SELECT steadytext_generate('x', model => 'slow-model')"));

            assertThat(e.getSQLState()).isEqualTo("57014");
            assertThat(e.getMessage()).contains("model \"slow-model\" is not loaded yet")
                    .contains("no worker has started the load");
            assertThat(e.getServerErrorMessage().getHint()).contains("steadytext_model_loads");
            assertThat(one(s, "SELECT status FROM steadytext_model_requests")).isEqualTo("pending");
        }
    }

    @Test
    void registeredModelNoWorkerServes_isLoadedAgain_butWithNoWorkerLiveTheOldAnswersStand() throws Exception {
        String stale = Fixture.registerModel(db, "generation", "loaded-last-run", false);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SET steadytext.sync_timeout = '200ms'");
            // No worker at all: the registered model keys the job, which waits in the queue (as before).
            SQLException queued = catchThrowableOfType(SQLException.class,
                    () -> s.execute("SELECT steadytext_generate('x', model => 'loaded-last-run')"));
            assertThat(queued.getMessage()).contains("no worker completed request");
            assertThat(one(s, "SELECT model_fingerprint FROM steadytext_queue")).isEqualTo(stale);
            SQLException unknown = catchThrowableOfType(SQLException.class,
                    () -> s.execute("SELECT steadytext_generate('x', model => 'never-seen')"));
            assertThat(unknown.getSQLState()).isEqualTo("22023");
            assertThat(unknown.getMessage()).contains("not a registered generation model, and no worker is running");
            SQLException sized = catchThrowableOfType(SQLException.class,
                    () -> s.execute("SELECT steadytext_generate('x', size => 'large')"));
            assertThat(sized.getSQLState()).isEqualTo("55000");
            assertThat(one(s, "SELECT count(*) FROM steadytext_model_requests")).isEqualTo("0");

            // A live worker that does not serve it: it is asked to load the model again.
            workerServing();
            SQLException asked = catchThrowableOfType(SQLException.class,
                    () -> s.execute("SELECT steadytext_generate('y', model => 'loaded-last-run')"));
            assertThat(asked.getSQLState()).isEqualTo("57014");
            assertThat(one(s, "SELECT model || ' ' || status FROM steadytext_model_requests"))
                    .isEqualTo("loaded-last-run pending");
        }
    }

    @Test
    void downloads_areAllowedToAdminsOnly_unlessConfigAllowsThemFromSql() throws Exception {
        workerServing();
        String role = Fixture.randomName("st_plain_");
        try (Connection admin = db.connect(); Statement a = admin.createStatement()) {
            a.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'plain-pw' NOSUPERUSER");
        }
        try (Connection plain = DriverManager.getConnection(db.jdbcUrl(), role, "plain-pw");
                Statement p = plain.createStatement(); Connection w = db.connect(); Statement s = w.createStatement()) {
            p.execute("SET steadytext.sync_timeout = '200ms'");
            catchThrowableOfType(SQLException.class, () -> p.execute("SELECT steadytext_generate('x', model => 'm1')"));
            s.execute("SELECT steadytext_config_set('allow_model_downloads_from_sql', 'true')");
            catchThrowableOfType(SQLException.class, () -> p.execute("SELECT steadytext_generate('x', model => 'm2')"));

            assertThat(one(s, "SELECT string_agg(model || '=' || may_download, ' ' ORDER BY model) "
                    + "FROM steadytext_model_requests WHERE requester = '" + role + "'")).isEqualTo("m1=false m2=true");
            assertThat(one(p, "SELECT count(*) FROM steadytext_model_loads")).as("users may watch loads")
                    .isEqualTo("2");
            SQLException direct = catchThrowableOfType(SQLException.class,
                    () -> p.execute("SELECT _steadytext_model_enqueue('e30=')"));
            assertThat(direct.getSQLState()).as("internal functions are not PUBLIC").isEqualTo("42501");
        } finally {
            try (Connection admin = db.connect(); Statement a = admin.createStatement()) {
                a.execute("DELETE FROM steadytext_model_requests");
                a.execute("DROP OWNED BY " + role + " CASCADE");
                a.execute("DROP ROLE " + role);
            }
        }
    }

    /** A live worker serving the default model (heartbeat now). */
    private void workerServing() throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO steadytext_workers (worker_id, host, pid, models)
                VALUES (?, 'test', 1, ARRAY(SELECT fingerprint FROM steadytext_models WHERE is_default))
                """)) {
            ps.setObject(1, workerId); // worker_id
            ps.executeUpdate();
        }
    }

    private String generate(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            return one(s, sql);
        }
    }

    private static UUID awaitPendingRequest(Statement s) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (ResultSet rs = s.executeQuery(
                    "SELECT request_id FROM steadytext_model_requests WHERE status = 'pending'")) {
                if (rs.next()) {
                    return rs.getObject(1, UUID.class);
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no load request within 10 s");
    }

    /**
     * What the worker does once a model is loaded: registers it (and lists it in its heartbeat row), then marks the
     * request ready and wakes the callers. Returns the model's fingerprint.
     */
    private String load(Connection w, UUID request, String name) throws SQLException {
        String fingerprint = Fixture.registerModel(db, "generation", name, false);
        try (PreparedStatement ps = w.prepareStatement("""
                WITH listed AS (UPDATE steadytext_workers SET models = array_append(models, ?) WHERE worker_id = ?),
                     ready AS (UPDATE steadytext_model_requests
                               SET status = 'ready', fingerprint = ?, model_name = ?, worker_id = ?,
                                   completed_at = clock_timestamp()
                               WHERE request_id = ? RETURNING request_id)
                SELECT pg_notify('steadytext_done', request_id::text) FROM ready
                """)) {
            ps.setString(1, fingerprint); // models
            ps.setObject(2, workerId); // worker_id
            ps.setString(3, fingerprint); // fingerprint
            ps.setString(4, name); // model_name
            ps.setObject(5, workerId); // worker_id
            ps.setObject(6, request); // request_id
            ps.execute();
        }
        return fingerprint;
    }

    private static void fail(Connection w, UUID request, String error, String sqlState) throws SQLException {
        try (PreparedStatement ps = w.prepareStatement("""
                WITH failed AS (UPDATE steadytext_model_requests
                                SET status = 'failed', error = ?, error_code = ?, completed_at = clock_timestamp()
                                WHERE request_id = ? RETURNING request_id)
                SELECT pg_notify('steadytext_done', request_id::text) FROM failed
                """)) {
            ps.setString(1, error); // error
            ps.setString(2, sqlState); // error_code
            ps.setObject(3, request); // request_id
            ps.execute();
        }
    }
}
