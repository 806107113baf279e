package dev.steadytext.schema;

import static dev.steadytext.schema.SyncRequestIT.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The loopback's half of an enqueue (_steadytext_enqueue), given payloads that mix every case in one call: a request
 * already cached, new ones, identical ones (coalesced into one job), one covered by a job already in flight, and one
 * that must not use the cache.
 */
class EnqueueIT {

    private TestDatabase db;
    private String model;

    @BeforeEach
    void setUp() throws Exception {
        db = Fixture.database();
        Fixture.reset(db);
        model = Fixture.registerModel(db, "generation", "gen-model", true);
    }

    @Test
    void onePayload_settlesEachRequest_inOrder_withOneJobPerDistinctUncachedKey() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO steadytext_cache (cache_key, kind, model_fingerprint, prompt, response, response_size) "
                    + "VALUES ('k-cached', 'generation', '" + model + "', 'p', 'from the cache', 14)");
            String inFlight = one(s, "INSERT INTO steadytext_queue (request_type, model_fingerprint, coalescible, "
                    + "cache_key, prompt) VALUES ('generate', '" + model + "', true, 'k-flying', 'p') RETURNING request_id");

            List<String> rows = enqueue(c, "[" + String.join(",", request("k-new", true), request("k-cached", true),
                    request("k-new", true), request("k-flying", true), request("k-new", false),
                    request("k-other", true)) + "]");

            String newJob = one(s, "SELECT request_id FROM steadytext_queue WHERE cache_key = 'k-new' AND coalescible");
            String otherJob = one(s, "SELECT request_id FROM steadytext_queue WHERE cache_key = 'k-other'");
            String uncached = one(s, "SELECT request_id FROM steadytext_queue WHERE cache_key = 'k-new' AND NOT coalescible");
            assertThat(rows).containsExactly(
                    "1 pending " + newJob,
                    "2 cached from the cache",
                    "3 pending " + newJob,
                    "4 pending " + inFlight,
                    "5 pending " + uncached,
                    "6 pending " + otherJob);
            assertThat(one(s, "SELECT count(*) FROM steadytext_queue")).as("jobs: in flight, k-new twice, k-other")
                    .isEqualTo("4");
        }
    }

    private String request(String cacheKey, boolean useCache) {
        return "{\"type\": \"generate\", \"model\": \"" + model + "\", \"use_cache\": " + useCache
                + ", \"cache_key\": \"" + cacheKey + "\", \"prompt\": \"p\", \"requester\": \"postgres\","
                + " \"max_attempts\": 3, \"params\": {}}";
    }

    /** Each row as {@code ord status request_id}, or {@code ord cached result}. */
    private static List<String> enqueue(Connection c, String requests) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT ord, status, coalesce(request_id::text, result) "
                + "FROM _steadytext_enqueue(?)")) {
            ps.setString(1, Base64.getEncoder().encodeToString(requests.getBytes(StandardCharsets.UTF_8)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3));
                }
            }
        }
        return rows;
    }
}
