package dev.steadytext.schema;

import static dev.steadytext.schema.SyncRequestIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Configuration, workers, daemon, cache statistics and clearing, version. */
class OperationsIT {

    private TestDatabase db;

    @BeforeEach
    void setUp() throws Exception {
        db = Fixture.database();
        Fixture.reset(db);
    }

    @Test
    void configSet_keepsJsonTypes() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT steadytext_config_set('t_bool', 'false')");
            s.execute("SELECT steadytext_config_set('t_num', '30')");
            s.execute("SELECT steadytext_config_set('t_text', 'hello world')");
            s.execute("SELECT steadytext_config_set('t_json', '{\"a\": [1, 2]}'::jsonb)");
            s.execute("SELECT st_config_set('t_quoted', '\"false\"')");
            assertThat(one(s, "SELECT jsonb_typeof(steadytext_config_get('t_bool')) || ':' "
                    + "|| steadytext_config_get('t_bool')::text")).isEqualTo("boolean:false");
            assertThat(one(s, "SELECT (steadytext_config_get('t_bool'))::boolean::text")).isEqualTo("false");
            assertThat(one(s, "SELECT jsonb_typeof(steadytext_config_get('t_num'))")).isEqualTo("number");
            assertThat(one(s, "SELECT steadytext_config_get('t_text') #>> '{}'")).isEqualTo("hello world");
            assertThat(one(s, "SELECT steadytext_config_get('t_json') -> 'a' ->> 1")).isEqualTo("2");
            assertThat(one(s, "SELECT jsonb_typeof(st_config_get('t_quoted'))")).isEqualTo("string");
            assertThat(one(s, "SELECT steadytext_config_get('default_max_tokens')::text")).isEqualTo("512");
            assertThat(one(s, "SELECT count(*) FROM steadytext_config WHERE description IS NULL "
                    + "AND key NOT LIKE 't\\_%'")).isEqualTo("0");
            s.execute("DELETE FROM steadytext_config WHERE key LIKE 't\\_%'");
        }
    }

    @Test
    void workerStatus_listsFreshHeartbeats_andHidesStaleOrStoppedWorkers() throws Exception {
        String model = Fixture.registerModel(db, "generation", "stories260K", true);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO steadytext_workers (worker_id, host, pid, jobs_done, models) VALUES "
                    + "('00000000-0000-0000-0000-000000000001', 'fresh-host', 11, 7, ARRAY['" + model + "']), "
                    + "('00000000-0000-0000-0000-000000000002', 'stale-host', 12, 1, '{}')");
            s.execute("UPDATE steadytext_workers SET last_heartbeat = now() - interval '16 seconds' "
                    + "WHERE host = 'stale-host'");
            s.execute("INSERT INTO steadytext_workers (worker_id, host, pid, stopped_at) VALUES "
                    + "('00000000-0000-0000-0000-000000000003', 'stopped-host', 13, now())");
            try (ResultSet rs = s.executeQuery("SELECT * FROM steadytext_worker_status()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("host")).isEqualTo("fresh-host");
                assertThat(rs.getLong("jobs_done")).isEqualTo(7);
                assertThat(rs.getString("models")).isEqualTo("{stories260K}");
                assertThat(rs.getTimestamp("last_heartbeat")).isNotNull();
                assertThat(rs.next()).isFalse();
            }
            assertThat(one(s, "SELECT status FROM steadytext_daemon_status()")).isEqualTo("running");
            assertThat(one(s, "SELECT steadytext_daemon_stop()")).isEqualTo("t");
            assertThat(one(s, "SELECT steadytext_config_get('worker_paused')::text")).isEqualTo("true");
            assertThat(one(s, "SELECT status FROM steadytext_daemon_status()")).isEqualTo("paused");
            assertThat(one(s, "SELECT st_daemon_start()")).isEqualTo("t");
            assertThat(one(s, "SELECT steadytext_config_get('worker_paused')::text")).isEqualTo("false");
            s.execute("DELETE FROM steadytext_workers");
            assertThat(one(s, "SELECT status FROM steadytext_daemon_status()")).isEqualTo("stopped");
        }
    }

    @Test
    void cacheStats_countEntriesBytesAndUnfoldedHits_andCacheClearEmptiesOneKind() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO steadytext_cache (cache_key, kind, model_fingerprint, prompt, response, embedding, "
                    + "response_size) VALUES ('k1', 'generation', 'm', 'abc', 'hello', NULL, 5), "
                    + "('k2', 'embedding', 'm', 'xy', NULL, '{1,2}', 8)");
            s.execute("UPDATE steadytext_cache_counters SET hits = 10, misses = 5 WHERE kind = 'generation'");
            s.execute("INSERT INTO steadytext_cache_access (cache_key, kind, hit) VALUES "
                    + "('k1', 'generation', true), ('k1', 'generation', false), ('k2', 'embedding', true)");
            assertThat(one(s, "SELECT entries || ':' || bytes || ':' || hits || ':' || misses || ':' || hit_rate "
                    + "FROM steadytext_cache_stats() WHERE kind = 'generation'")).isEqualTo("1:8:11:6:0.6470588235294118");
            assertThat(one(s, "SELECT entries || ':' || bytes || ':' || hits || ':' || misses || ':' || hit_rate "
                    + "FROM st_cache_stats() WHERE kind = 'embedding'")).isEqualTo("1:10:1:0:1");
            assertThat(one(s, "SELECT steadytext_cache_clear('embedding')")).isEqualTo("1");
            assertThat(one(s, "SELECT string_agg(kind, ',') FROM steadytext_cache")).isEqualTo("generation");
            assertThat(one(s, "SELECT steadytext_cache_clear()")).isEqualTo("1");
            assertThat(one(s, "SELECT count(*) FROM steadytext_cache")).isEqualTo("0");
        }
    }

    @Test
    void version_namesTheProjectVersion() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            assertThat(one(s, "SELECT steadytext_version()")).startsWith("steadytext-postgres ").doesNotContain("${");
            assertThat(one(s, "SELECT st_version()")).isEqualTo(one(s, "SELECT steadytext_version()"));
        }
    }
}
