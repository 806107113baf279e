package dev.steadytext.schema;

import static dev.steadytext.schema.SyncRequestIT.awaitClaim;
import static dev.steadytext.schema.SyncRequestIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Managed PostgreSQL: the schema installed and owned by a role that is not a superuser, its loopback going through
 * the documented foreign server steadytext_loopback and a user mapping with a password. dblink lets non-superusers
 * connect only with a password the server asked for, which the embedded server (trust authentication) never does,
 * so this runs against an external server only.
 */
class NonSuperuserLoopbackIT {

    @Test
    void syncMiss_worksWhenTheOwnerIsNotASuperuser() throws Exception {
        TestDatabase db = Fixture.database();
        Assumptions.assumeFalse(db.embedded(), "skipped on the embedded server (trust authentication; dblink needs a "
                + "password for non-superusers): run with -Dsteadytext.test.jdbcUrl=... to cover it");
        String owner = Fixture.randomName("st_owner_");
        String schema = Fixture.randomName("st_ns_");
        try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
            s.execute("CREATE ROLE " + owner + " LOGIN PASSWORD 'owner-pw' NOSUPERUSER NOCREATEROLE");
            s.execute("GRANT CREATE ON DATABASE " + one(s, "SELECT current_database()") + " TO " + owner);
            // What a superuser (or the provider's admin role) does once, per the install notes.
            s.execute("GRANT USAGE ON SCHEMA steadytext_private TO " + owner);
            s.execute("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA steadytext_private TO " + owner);
            s.execute("GRANT USAGE ON FOREIGN SERVER steadytext_loopback TO " + owner);
            s.execute("CREATE USER MAPPING FOR " + owner + " SERVER steadytext_loopback OPTIONS (user '" + owner
                    + "', password 'owner-pw')");
        }
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), owner, "owner-pw");
                Connection w = DriverManager.getConnection(db.jdbcUrl(), owner, "owner-pw");
                Statement s = c.createStatement(); Statement ws = w.createStatement()) {
            assertThat(one(s, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).isEqualTo("f");
            MigrationResult result = SchemaMigrator.migrate(c, schema, line -> { });
            assertThat(result.changeSetsApplied()).isGreaterThan(0);
            ws.execute("SET search_path = " + schema);
            ws.execute("INSERT INTO steadytext_models (fingerprint, kind, name, backend, backend_version, model_sha256, "
                    + "settings, is_default) VALUES (repeat('b', 64), 'generation', 'm', 't', '1', repeat('b', 64), '', true)");
            Future<String> answer = caller.submit(() -> one(s, "SELECT " + schema + ".steadytext_generate('managed')"));
            FakeWorker worker = new FakeWorker();
            Thread.sleep(200);
            if (answer.isDone()) {
                answer.get(); // surfaces a loopback failure instead of waiting for a job that never comes
            }
            FakeWorker.Claimed job = awaitClaim(worker, w);
            worker.completeGeneration(w, job, "served");
            assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("served");
        } finally {
            caller.shutdownNow();
            // Roles are cluster-wide: leave none behind on a shared server.
            try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
                s.execute("DROP OWNED BY " + owner + " CASCADE");
                s.execute("DROP ROLE " + owner);
            }
        }
    }
}
