package dev.steadytext.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadytext.testkit.PostgresExtension;
import dev.steadytext.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Installing from empty, re-running, the fast no-op path, concurrent migrators, and refusing non-UTF8 databases. */
class SchemaMigratorIT {

    private final TestDatabase db = PostgresExtension.database();

    @Test
    void migrate_fromEmpty_installsTablesFunctionsAndLiquibaseTablesInTheSchema() throws Exception {
        String schema = Fixture.randomName("st_mig_");
        List<String> progress = new ArrayList<>();
        MigrationResult result;
        try (Connection c = db.connect()) {
            result = SchemaMigrator.migrate(c, schema, progress::add);
        }
        System.out.println("schema: first migration " + result);
        progress.forEach(System.out::println);
        assertThat(result.upToDate()).isFalse();
        assertThat(result.changeSetsApplied()).isGreaterThanOrEqualTo(8);
        assertThat(progress).hasSize(result.changeSetsApplied());
        assertThat(progress.get(0)).isEqualTo("schema: applying 001-tables (1/" + result.changeSetsApplied() + ")");
        if (result.pgvector()) {
            assertThat(result.embeddingType()).endsWith(".vector");
        } else {
            System.out.println("pgvector: not installed in this database; the vector path was skipped (real[] used)");
            assertThat(result.embeddingType()).isEqualTo("real[]");
        }
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            assertThat(count(s, "SELECT count(*) FROM pg_tables WHERE schemaname = '" + schema
                    + "' AND tablename IN ('steadytext_cache', 'steadytext_queue', 'databasechangelog', "
                    + "'databasechangeloglock', 'steadytext_schema_state')")).isEqualTo(5);
            assertThat(count(s, "SELECT count(*) FROM pg_proc WHERE pronamespace = '" + schema
                    + "'::regnamespace AND proname IN ('steadytext_generate', 'st_generate', 'steadytext_embed')"))
                    .isEqualTo(3);
            // Every SECURITY DEFINER function pins its search_path. The others are aliases with a fully qualified
            // body, the cache-hit path: invoker-rights functions without a SET clause (see 020-requests.sql), and
            // steadytext_generate_stream, which a SET clause would keep from being inlined (080-streaming.sql).
            assertThat(count(s, "SELECT count(*) FROM pg_proc WHERE pronamespace = '" + schema
                    + "'::regnamespace AND prosecdef AND NOT coalesce(proconfig, '{}') @> "
                    + "ARRAY['search_path=pg_catalog, pg_temp']")).isZero();
            assertThat(count(s, "SELECT count(*) FROM pg_proc WHERE pronamespace = '" + schema
                    + "'::regnamespace AND proname LIKE 'steadytext%' AND NOT coalesce(proconfig, '{}') @> "
                    + "ARRAY['search_path=pg_catalog, pg_temp'] AND NOT (proname IN ('steadytext_generate', "
                    + "'steadytext_embed', 'steadytext_embed_batch', 'steadytext_generate_stream') AND NOT prosecdef "
                    + "AND proconfig IS NULL)"))
                    .isZero();
            assertThat(count(s, "SELECT count(*) FROM " + schema + ".steadytext_config WHERE key = 'worker_paused' "
                    + "AND value = 'false'::jsonb")).isEqualTo(1);
            // dblink lives in a schema PUBLIC cannot use.
            assertThat(count(s, "SELECT count(*) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                    + "WHERE e.extname = 'dblink' AND NOT has_schema_privilege('public', n.oid, 'USAGE')"))
                    .isEqualTo(1);
        }
    }

    @Test
    void migrate_again_isAFastNoOp() throws Exception {
        String schema = Fixture.randomName("st_noop_");
        try (Connection c = db.connect()) {
            SchemaMigrator.migrate(c, schema, line -> { });
            // Warm-up, then measure.
            for (int i = 0; i < 20; i++) {
                SchemaMigrator.migrate(c, schema, line -> { });
            }
            int runs = 50;
            long start = System.nanoTime();
            MigrationResult last = null;
            for (int i = 0; i < runs; i++) {
                last = SchemaMigrator.migrate(c, schema, line -> { });
            }
            double meanMillis = (System.nanoTime() - start) / 1e6 / runs;
            System.out.printf("schema: no-op migrate takes %.2f ms on average (%d runs)%n", meanMillis, runs);
            assertThat(last.upToDate()).isTrue();
            assertThat(last.changeSetsApplied()).isZero();
            assertThat(meanMillis).isLessThan(300);
        }
    }

    @Test
    void migrate_afterTheFastPathRowIsLost_letsLiquibaseFindNothingToDo() throws Exception {
        String schema = Fixture.randomName("st_rerun_");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            SchemaMigrator.migrate(c, schema, line -> { });
            s.execute("DELETE FROM " + schema + ".steadytext_schema_state");
            long start = System.nanoTime();
            MigrationResult again = SchemaMigrator.migrate(c, schema, line -> { });
            System.out.printf("schema: idempotent Liquibase re-run (nothing to apply) took %.0f ms%n",
                    (System.nanoTime() - start) / 1e6);
            assertThat(again.changeSetsApplied()).isZero();
            assertThat(again.upToDate()).isFalse();
            assertThat(SchemaMigrator.migrate(c, schema, line -> { }).upToDate()).isTrue();
        }
    }

    @Test
    void migrate_concurrently_appliesEachChangeSetOnce() throws Exception {
        String schema = Fixture.randomName("st_conc_");
        int migrators = 3;
        CountDownLatch go = new CountDownLatch(1);
        List<String> progress = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(migrators);
        try {
            List<Future<MigrationResult>> results = new ArrayList<>();
            for (int i = 0; i < migrators; i++) {
                results.add(pool.submit(() -> {
                    try (Connection c = db.connect()) {
                        go.await();
                        return SchemaMigrator.migrate(c, schema, progress::add);
                    }
                }));
            }
            go.countDown();
            int applied = 0;
            int upToDate = 0;
            for (Future<MigrationResult> f : results) {
                MigrationResult r = f.get();
                applied += r.changeSetsApplied();
                upToDate += r.upToDate() ? 1 : 0;
            }
            assertThat(upToDate).isEqualTo(migrators - 1);
            assertThat(progress).hasSize(applied);
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                assertThat(count(s, "SELECT count(*) FROM " + schema + ".databasechangelog")).isEqualTo(applied);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void migrate_nonUtf8Database_failsNamingTheEncoding() throws Exception {
        String name = Fixture.randomName("st_ascii_");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C'");
        }
        try (Connection c = DriverManager.getConnection(db.jdbcUrlOf(name), db.user(), db.password())) {
            assertThatThrownBy(() -> SchemaMigrator.migrate(c, "public", line -> { }))
                    .isInstanceOf(SchemaMigrationException.class)
                    .hasMessageContaining("SQL_ASCII")
                    .hasMessageContaining("UTF8");
        } finally {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE " + name);
            }
        }
    }

    @Test
    void migrate_rejectsSchemaNamesThatAreNotPlainIdentifiers() {
        assertThatThrownBy(() -> SchemaMigrator.migrate(db.dataSource(), "x; DROP TABLE y", line -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
