package dev.steadytext.schema;

import static dev.steadytext.schema.SyncRequestIT.awaitClaim;
import static dev.steadytext.schema.SyncRequestIT.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.steadytext.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The async functions: lifecycle, waiting, cancelling, transactions and who may see a request. */
class AsyncRequestIT {

    private TestDatabase db;

    @BeforeEach
    void setUp() throws Exception {
        db = Fixture.database();
        Fixture.reset(db);
        Fixture.registerModel(db, "generation", "gen-model", true);
        Fixture.registerModel(db, "embedding", "emb-model", true);
    }

    @Test
    void generateAsync_pendingThenCompleted_checkAsyncShowsEveryField() throws Exception {
        try (Connection c = db.connect(); Connection w = db.connect(); Statement s = c.createStatement()) {
            String id = one(s, "SELECT steadytext_generate_async('async prompt', 30)");
            try (ResultSet rs = s.executeQuery("SELECT * FROM steadytext_check_async('" + id + "')")) {
                rs.next();
                assertThat(rs.getString("status")).isEqualTo("pending");
                assertThat(rs.getString("request_type")).isEqualTo("generate");
                assertThat(rs.getString("result")).isNull();
                assertThat(rs.getTimestamp("created_at")).isNotNull();
                assertThat(rs.getTimestamp("completed_at")).isNull();
            }
            assertThat(one(s, "SELECT coalescible || ':' || requester FROM steadytext_queue"))
                    .isEqualTo("false:" + db.user());
            FakeWorker worker = new FakeWorker();
            worker.completeGeneration(w, awaitClaim(worker, w), "async answer");
            try (ResultSet rs = s.executeQuery("SELECT * FROM st_check_async('" + id + "')")) {
                rs.next();
                assertThat(rs.getString("status")).isEqualTo("completed");
                assertThat(rs.getString("result")).isEqualTo("async answer");
                assertThat(rs.getTimestamp("completed_at")).isNotNull();
                assertThat(rs.getInt("processing_time_ms")).isGreaterThanOrEqualTo(0);
                assertThat(rs.getString("error")).isNull();
            }
            assertThat(one(s, "SELECT steadytext_get_async_result('" + id + "', 1)")).isEqualTo("async answer");
            // Now cached: a second async request completes at once, without a job for the worker.
            String second = one(s, "SELECT steadytext_generate_async('async prompt', 30)");
            assertThat(one(s, "SELECT status || ':' || result FROM steadytext_check_async('" + second + "')"))
                    .isEqualTo("completed:async answer");
        }
    }

    @Test
    void getAsyncResult_waitsForTheWorker_evenInRepeatableRead() throws Exception {
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Connection c = db.connect(); Connection w = db.connect(); Statement s = c.createStatement()) {
            String id = one(s, "SELECT steadytext_embed_async('wait for me')");
            c.setAutoCommit(false);
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            Future<String> result = caller.submit(() -> one(s, "SELECT steadytext_get_async_result('" + id + "', 10)"));
            Thread.sleep(100);
            assertThat(result).isNotDone();
            FakeWorker worker = new FakeWorker();
            FakeWorker.Claimed job = awaitClaim(worker, w);
            worker.completeEmbedding(w, job, FakeWorker.vector("wait for me"));
            assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("{11,0.1,0.33333334,1.1754944e-38,-0,3.1415927}");
            c.commit();
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void getAsyncResult_timesOutWith57014_andRefusesAnUncommittedRequest() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            String id = one(s, "SELECT steadytext_generate_async('slow')");
            SQLException timeout = catchThrowableOfType(SQLException.class,
                    () -> s.execute("SELECT steadytext_get_async_result('" + id + "', 0)"));
            assertThat(timeout.getSQLState()).isEqualTo("57014");
            assertThat(timeout.getMessage()).contains(id);

            c.setAutoCommit(false);
            String mine = one(s, "SELECT steadytext_generate_async('not yet committed')");
            SQLException uncommitted = catchThrowableOfType(SQLException.class,
                    () -> s.execute("SELECT steadytext_get_async_result('" + mine + "', 5)"));
            assertThat(uncommitted.getSQLState()).isEqualTo("55000");
            assertThat(uncommitted.getMessage()).contains("not committed");
            c.rollback();
        }
    }

    @Test
    void rollback_removesTheRequest() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            String id = one(s, "SELECT steadytext_generate_async('rolled back')");
            assertThat(one(s, "SELECT count(*) FROM steadytext_queue")).isEqualTo("1");
            c.rollback();
            assertThat(one(s, "SELECT count(*) FROM steadytext_queue")).isEqualTo("0");
            SQLException e = catchThrowableOfType(SQLException.class,
                    () -> s.execute("SELECT * FROM steadytext_check_async('" + id + "')"));
            assertThat(e.getSQLState()).isEqualTo("P0002");
            c.rollback();
        }
    }

    @Test
    void cancel_endsAPendingRequest_onlyOnce() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            String id = one(s, "SELECT steadytext_generate_async('cancel me')");
            assertThat(one(s, "SELECT steadytext_cancel_async('" + id + "')")).isEqualTo("t");
            assertThat(one(s, "SELECT st_cancel_async('" + id + "')")).isEqualTo("f");
            assertThat(one(s, "SELECT status FROM steadytext_check_async('" + id + "')")).isEqualTo("cancelled");
            SQLException e = catchThrowableOfType(SQLException.class,
                    () -> s.execute("SELECT steadytext_get_async_result('" + id + "', 1)"));
            assertThat(e.getSQLState()).isEqualTo("57014");
            assertThat(e.getMessage()).contains("cancelled");
        }
    }

    @Test
    void batchAsync_makesOneJobPerPrompt_andOneEmbedBatchJob_checkBatchKeepsOrder() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            String ids = one(s, "SELECT steadytext_generate_batch_async(ARRAY['one', 'two', 'three'], 10)");
            assertThat(ids.split(",")).hasSize(3);
            String batch = one(s, "SELECT steadytext_embed_batch_async(ARRAY['a', 'b'])");
            assertThat(one(s, "SELECT request_type || ':' || cardinality(inputs) || ':' || cardinality(cache_keys) "
                    + "|| ':' || (cache_key IS NULL) FROM steadytext_queue WHERE request_id = '" + batch + "'"))
                    .isEqualTo("embed_batch:2:2:true");
            try (ResultSet rs = s.executeQuery("SELECT request_id, status FROM steadytext_check_async_batch("
                    + "ARRAY['" + batch + "', gen_random_uuid()] || '" + ids + "'::uuid[])")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(batch);
                rs.next();
                assertThat(rs.getString(2)).isEqualTo("not_found");
                for (String prompt : new String[] {"one", "two", "three"}) {
                    rs.next();
                    assertThat(rs.getString(2)).isEqualTo("pending");
                    assertThat(one(c.createStatement(), "SELECT prompt FROM steadytext_queue WHERE request_id = '"
                            + rs.getString(1) + "'")).isEqualTo(prompt);
                }
            }
            try (AutoCloseable worker = FakeWorker.running(db)) {
                assertThat(one(s, "SELECT steadytext_get_async_result('" + batch + "', 10)"))
                        .startsWith("{{1,0.1,").contains("},{1,0.1,");
            }
        }
    }

    @Test
    void anotherRole_cannotSeeOrCancelMyRequest_butAnAdminCan() throws Exception {
        String other = Fixture.randomName("st_other_");
        String admin = Fixture.randomName("st_adm_");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + other + " LOGIN PASSWORD 'pw'");
            s.execute("CREATE ROLE " + admin + " LOGIN PASSWORD 'pw' IN ROLE steadytext_admin");
            String id = one(s, "SELECT steadytext_generate_async('private')");
            try (Connection o = java.sql.DriverManager.getConnection(db.jdbcUrl(), other, "pw");
                    Statement os = o.createStatement()) {
                SQLException e = catchThrowableOfType(SQLException.class,
                        () -> os.execute("SELECT * FROM steadytext_check_async('" + id + "')"));
                assertThat(e.getSQLState()).isEqualTo("P0002");
                assertThat(one(os, "SELECT steadytext_cancel_async('" + id + "')")).isEqualTo("f");
                assertThat(one(os, "SELECT status FROM steadytext_check_async_batch(ARRAY['" + id + "'::uuid])"))
                        .isEqualTo("not_found");
                // Ordinary users may not read the queue table, nor use the admin functions or dblink.
                assertThat(catchThrowableOfType(SQLException.class,
                        () -> os.execute("SELECT * FROM steadytext_queue")).getSQLState()).isEqualTo("42501");
                assertThat(catchThrowableOfType(SQLException.class,
                        () -> os.execute("SELECT steadytext_config_set('worker_paused', 'true')")).getSQLState())
                        .isEqualTo("42501");
                assertThat(catchThrowableOfType(SQLException.class,
                        () -> os.execute("SELECT steadytext_private.dblink_get_connections()")).getSQLState())
                        .isEqualTo("42501");
                String mine = one(os, "SELECT steadytext_generate_async('theirs')");
                assertThat(one(os, "SELECT requester FROM steadytext_check_async_batch(ARRAY['" + mine
                        + "'::uuid]) JOIN (SELECT '" + other + "' AS requester) r ON true")).isEqualTo(other);
            }
            try (Connection a = java.sql.DriverManager.getConnection(db.jdbcUrl(), admin, "pw");
                    Statement as = a.createStatement()) {
                assertThat(one(as, "SELECT status FROM steadytext_check_async('" + id + "')")).isEqualTo("pending");
                assertThat(one(as, "SELECT steadytext_cancel_async('" + id + "')")).isEqualTo("t");
            }
        } finally {
            // Roles are cluster-wide: leave none behind on a shared server.
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("DROP ROLE IF EXISTS " + other);
                s.execute("DROP ROLE IF EXISTS " + admin);
            }
        }
    }
}
