package dev.steadytext.cache.postgres.internal;

import dev.steadytext.api.eviction.EvictionTracker;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Answers the requests SQL callers leave in {@code steadytext_eviction_requests}: evict now (steadytext_cache_evict,
 * steadytext_cache_scheduled_eviction) and preview the next victims (steadytext_cache_preview_eviction). The caller
 * waits for the answer; {@code pg_notify('steadytext_done', request_id)} wakes it.
 */
final class RequestDesk {

    private static final Logger LOG = System.getLogger(RequestDesk.class.getName());
    private static final Set<String> TRIGGERS = Set.of("manual", "scheduled");

    /** A request as {@link Queries#CLAIM_REQUEST} returns it. */
    private record Request(UUID id, String action, String trigger, Long targetEntries, Long targetBytes,
            String policy, Integer count) {
    }

    /** A request that cannot be carried out, with the SQLSTATE its caller gets. */
    private static final class Refused extends Exception {
        private final String sqlState;

        Refused(String message, String sqlState) {
            super(message, null, false, false);
            this.sqlState = sqlState;
        }
    }

    private final Connection connection;
    private final Evictor evictor;
    private final DbClock clock;

    RequestDesk(Connection connection, Evictor evictor, DbClock clock) {
        this.connection = connection;
        this.evictor = evictor;
        this.clock = clock;
    }

    /** Requests a leader that stopped was running: their callers may still be waiting. */
    void resumeAbandoned() throws SQLException {
        try (PreparedStatement resume = connection.prepareStatement(Queries.RESUME_REQUESTS)) {
            resume.executeUpdate();
        }
    }

    /** Answers every pending request, oldest first; returns how many. */
    int serve(Trackers trackers, SqlSettings settings, Map<String, PolicyRegistry.Named> available)
            throws SQLException {
        int served = 0;
        for (Request request = claim(); request != null; request = claim()) {
            try {
                if (request.action().equals("preview")) {
                    preview(request, trackers);
                } else {
                    evict(request, trackers, settings, available);
                }
            } catch (Refused e) {
                fail(request.id(), e.getMessage(), e.sqlState);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "eviction request " + request.id() + " failed", e);
                fail(request.id(), "the eviction policy failed: " + e, "P0001");
            }
            served++;
        }
        return served;
    }

    private Request claim() throws SQLException {
        try (PreparedStatement claim = connection.prepareStatement(Queries.CLAIM_REQUEST);
                ResultSet row = claim.executeQuery()) {
            if (!row.next()) {
                return null;
            }
            return new Request(row.getObject(1, UUID.class), row.getString(2), row.getString(3),
                    row.getObject(4, Long.class), row.getObject(5, Long.class), row.getString(6),
                    row.getObject(7, Integer.class));
        }
    }

    private void evict(Request request, Trackers trackers, SqlSettings settings,
            Map<String, PolicyRegistry.Named> available) throws SQLException, Refused {
        String trigger = request.trigger() == null ? "manual" : request.trigger();
        if (!TRIGGERS.contains(trigger)) {
            throw new Refused("unknown eviction trigger \"" + trigger + "\"", "22023");
        }
        PolicyRegistry.Named named = null;
        if (request.policy() != null) {
            named = available.get(request.policy());
            if (named == null) {
                throw new Refused("policy \"" + request.policy() + "\" is not an available eviction policy; available: "
                        + String.join(", ", available.keySet()), "22023");
            }
        }
        List<Evictor.Round> rounds = new ArrayList<>();
        for (KindTracker running : trackers.all()) {
            Budget budget = settings.budget(running.kind()).overriddenBy(request.targetEntries(), request.targetBytes());
            KindTracker chooser = running;
            List<EvictionTracker> others = List.of();
            if (named != null && !named.name().equals(running.policyName())) {
                // Another policy chooses this once, from the entries as they are; the running tracker forgets what goes.
                chooser = TrackerLoader.fresh(connection, running.kind(), named, clock);
                others = List.of(running.tracker());
            }
            rounds.add(evictor.evict(chooser, others, budget, trigger, request.id(),
                    System.nanoTime() + TimeUnit.DAYS.toNanos(1)));
        }
        try (PreparedStatement done = connection.prepareStatement(Queries.EVICTED)) {
            done.setArray(1, connection.createArrayOf("text", rounds.stream().map(Evictor.Round::kind).toArray())); // kind
            done.setArray(2, connection.createArrayOf("text",
                    rounds.stream().map(Evictor.Round::policy).toArray())); // policy
            done.setArray(3, connection.createArrayOf("bigint",
                    rounds.stream().map(Evictor.Round::evicted).toArray())); // evicted
            done.setArray(4, connection.createArrayOf("bigint",
                    rounds.stream().map(Evictor.Round::evictedBytes).toArray())); // evicted_bytes
            done.setObject(5, request.id()); // request_id
            done.execute();
        }
    }

    private void preview(Request request, Trackers trackers) throws SQLException, Refused {
        if (request.count() == null || request.count() < 1) {
            throw new Refused("preview count must be at least 1, not " + request.count(), "22023");
        }
        List<Object> kinds = new ArrayList<>();
        List<Object> ranks = new ArrayList<>();
        List<Object> keys = new ArrayList<>();
        List<Object> reasons = new ArrayList<>();
        List<Object> scores = new ArrayList<>();
        List<Object> policies = new ArrayList<>();
        for (KindTracker running : trackers.all()) {
            int rank = 0;
            for (Evictor.Candidate candidate : evictor.candidates(running, List.of(), request.count(), new HashSet<>())) {
                kinds.add(running.kind());
                ranks.add(++rank);
                keys.add(candidate.victim().key());
                reasons.add(candidate.victim().reason());
                scores.add(candidate.victim().score());
                policies.add(running.policyName());
            }
        }
        try (PreparedStatement done = connection.prepareStatement(Queries.PREVIEWED)) {
            done.setArray(1, connection.createArrayOf("text", kinds.toArray())); // kind
            done.setArray(2, connection.createArrayOf("integer", ranks.toArray())); // rank
            done.setArray(3, connection.createArrayOf("text", keys.toArray())); // cache_key
            done.setArray(4, connection.createArrayOf("text", reasons.toArray())); // reason
            done.setArray(5, connection.createArrayOf("float8", scores.toArray())); // score
            done.setArray(6, connection.createArrayOf("text", policies.toArray())); // policy
            done.setObject(7, request.id()); // request_id
            done.execute();
        }
    }

    private void fail(UUID id, String message, String sqlState) throws SQLException {
        try (PreparedStatement failed = connection.prepareStatement(Queries.REQUEST_FAILED)) {
            failed.setString(1, message); // error
            failed.setString(2, sqlState); // error_code
            failed.setObject(3, id); // request_id
            failed.execute();
        }
    }
}
