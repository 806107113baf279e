package dev.steadytext.cache.postgres.internal;

import dev.steadytext.api.eviction.CacheEntry;
import dev.steadytext.api.eviction.EvictionTracker;
import dev.steadytext.api.eviction.Victim;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes trackers agree with the cache: when a worker starts to lead (from the saved snapshots), when the policy
 * changes (a new policy has no history, so its trackers start from the entries and their statistics), and for a
 * one-off eviction by another policy.
 *
 * <p>Reconciling a tracker with the cache inserts the entries it lacks in the order they were last accessed (so a
 * recency policy ranks them as they were used) and replays their hit counts, up to {@value #REPLAYED_HITS} hits, at
 * their last access (so a frequency policy ranks them roughly as they were used); it removes the entries the cache
 * no longer has.
 */
final class TrackerLoader {

    private static final Logger LOG = System.getLogger(TrackerLoader.class.getName());
    static final int REPLAYED_HITS = 16;
    private static final int FETCH_SIZE = 5_000;

    private TrackerLoader() {
    }

    /**
     * Gives each kind of {@code policies} a tracker of that policy, agreeing with the cache, in one REPEATABLE READ
     * transaction: the change feed is taken in the same snapshot the entries are read in, so nothing is missed or
     * counted twice. Changes of the other kinds are fed to their trackers as usual.
     *
     * @param fromSavedState whether to start from the snapshots in {@code steadytext_eviction_state}
     */
    static void load(Connection connection, Trackers trackers, Map<String, PolicyRegistry.Named> policies,
            boolean fromSavedState, RecentKeys recent, DbClock clock) throws SQLException {
        Transactions.run(connection, Connection.TRANSACTION_REPEATABLE_READ, () -> {
            List<FeedEvent> changes;
            try (PreparedStatement take = connection.prepareStatement(Queries.TAKE_ALL_CHANGES);
                    ResultSet rows = take.executeQuery()) {
                changes = FeedEvent.changes(rows);
            }
            trackers.feed(changes, recent, kind -> !policies.containsKey(kind));
            Map<String, Saved> saved = fromSavedState ? saved(connection) : Map.of();
            for (Map.Entry<String, PolicyRegistry.Named> entry : policies.entrySet()) {
                String kind = entry.getKey();
                PolicyRegistry.Named policy = entry.getValue();
                EvictionTracker tracker = startingPoint(kind, policy, saved.get(kind), trackers.get(kind));
                reconcile(connection, kind, tracker, clock.nowMillis());
                trackers.put(new KindTracker(kind, policy, tracker));
            }
        });
    }

    /** A tracker of {@code policy} holding the kind's entries as they are now, for a one-off eviction. */
    static KindTracker fresh(Connection connection, String kind, PolicyRegistry.Named policy, DbClock clock)
            throws SQLException {
        EvictionTracker tracker = policy.policy().newTracker();
        Transactions.run(connection, Connection.TRANSACTION_READ_COMMITTED,
                () -> reconcile(connection, kind, tracker, clock.nowMillis()));
        return new KindTracker(kind, policy, tracker);
    }

    private record Saved(String policy, byte[] snapshot) {
    }

    private static Map<String, Saved> saved(Connection connection) throws SQLException {
        Map<String, Saved> saved = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(Queries.LOAD_STATE);
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                saved.put(rows.getString(1), new Saved(rows.getString(2), rows.getBytes(3)));
            }
        }
        return saved;
    }

    /**
     * What the kind's new tracker starts from: the saved snapshot if the same policy saved it; the running tracker's
     * state if it is the same policy from a new service (a plug-in bundle updated in place); else nothing.
     */
    private static EvictionTracker startingPoint(String kind, PolicyRegistry.Named policy, Saved saved,
            KindTracker running) {
        if (saved != null && saved.policy().equals(policy.name())) {
            EvictionTracker restored = restore(kind, policy, saved.snapshot(), "saved state");
            if (restored != null) {
                return restored;
            }
        } else if (running != null && running.policyName().equals(policy.name())) {
            EvictionTracker restored = restore(kind, policy, running.peek().snapshot(), "running tracker");
            if (restored != null) {
                return restored;
            }
        }
        return policy.policy().newTracker();
    }

    private static EvictionTracker restore(String kind, PolicyRegistry.Named policy, byte[] snapshot, String from) {
        try {
            EvictionTracker tracker = policy.policy().restore(snapshot);
            LOG.log(Level.INFO, "restored the {0} tracker of {1} entries from its {2} ({3} bytes)", kind,
                    tracker.size(), from, snapshot.length);
            return tracker;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "policy {0} cannot read the {1} tracker''s {2} ({3}); starting from the cache''s "
                    + "entries and statistics", policy.name(), kind, from, e.getMessage());
            return null;
        }
    }

    /** Inserts what the tracker lacks, least recently accessed first, and removes what the cache lacks. */
    private static void reconcile(Connection connection, String kind, EvictionTracker tracker, long nowMillis)
            throws SQLException {
        Set<String> tracked = new HashSet<>();
        if (tracker.size() > 0) {
            for (Victim victim : tracker.victims(tracker.size(), nowMillis)) {
                tracked.add(victim.key());
            }
        }
        Set<String> cached = new HashSet<>();
        try (PreparedStatement query = connection.prepareStatement(Queries.ENTRIES)) {
            query.setFetchSize(FETCH_SIZE);
            query.setString(1, kind); // kind
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String key = rows.getString(1);
                    cached.add(key);
                    if (!tracked.contains(key)) {
                        replay(tracker, new CacheEntry(key, rows.getLong(2), rows.getLong(3)), rows.getLong(4),
                                rows.getLong(5), rows.getLong(6));
                    }
                }
            }
        }
        for (String key : tracked) {
            if (!cached.contains(key)) {
                tracker.onRemove(key);
            }
        }
    }

    private static void replay(EvictionTracker tracker, CacheEntry entry, long accessCount, long createdMillis,
            long lastAccessedMillis) {
        if (accessCount == 0) {
            tracker.onInsert(entry, lastAccessedMillis);
            return;
        }
        tracker.onInsert(entry, Math.min(createdMillis, lastAccessedMillis));
        for (long hit = Math.min(accessCount, REPLAYED_HITS); hit > 0; hit--) {
            tracker.onHit(entry.key(), lastAccessedMillis);
        }
    }
}
