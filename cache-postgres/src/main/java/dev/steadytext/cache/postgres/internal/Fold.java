package dev.steadytext.cache.postgres.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The leader's fold, one transaction: takes the change feed and the access log, feeds both to the trackers in the
 * order things happened, writes the touched entries' access_count, last_accessed and policy_meta, and, when a
 * checkpoint is due, the changed trackers' snapshots. Either all of it commits or none (the rows taken come back).
 */
final class Fold {

    /** Most change rows one fold takes; a longer feed is taken by the next folds, at once. */
    static final int MAX_CHANGES = 20_000;

    /**
     * What a fold took.
     *
     * @param accesses accesses folded (a sampled hit of weight n counts n)
     * @param changes change-feed rows taken
     */
    record Result(int accesses, int changes) {

        boolean moreChangesWaiting() {
            return changes == MAX_CHANGES;
        }
    }

    private Fold() {
    }

    static Result run(Connection connection, Trackers trackers, RecentKeys recent, DbClock clock, boolean checkpoint)
            throws SQLException {
        int[] taken = new int[2];
        Transactions.run(connection, Connection.TRANSACTION_READ_COMMITTED, () -> {
            List<FeedEvent> changes;
            try (PreparedStatement take = connection.prepareStatement(Queries.TAKE_CHANGES)) {
                take.setInt(1, MAX_CHANGES); // most changes per fold
                try (ResultSet rows = take.executeQuery()) {
                    changes = FeedEvent.changes(rows);
                }
            }
            List<FeedEvent> accesses;
            try (PreparedStatement take = connection.prepareStatement(Queries.TAKE_ACCESSES);
                    ResultSet rows = take.executeQuery()) {
                accesses = FeedEvent.accesses(rows);
            }
            clock.sync(connection);
            Map<String, Trackers.Touch> touched = trackers.feed(FeedEvent.merge(changes, accesses), recent, kind -> true);
            writeBack(connection, trackers, touched, clock.nowMillis());
            if (checkpoint) {
                save(connection, trackers);
            }
            taken[0] = accesses.size();
            taken[1] = changes.size();
        });
        if (checkpoint) {
            trackers.all().forEach(KindTracker::saved);
        }
        recent.expire(clock.nowMillis());
        return new Result(taken[0], taken[1]);
    }

    /**
     * Writes the snapshot of every tracker that changed since it was last saved; the caller marks them saved once
     * this commits.
     */
    static void save(Connection connection, Trackers trackers) throws SQLException {
        try (PreparedStatement save = connection.prepareStatement(Queries.SAVE_STATE)) {
            boolean any = false;
            for (KindTracker kind : trackers.all()) {
                if (kind.dirty()) {
                    save.setString(1, kind.kind()); // kind
                    save.setString(2, kind.policyName()); // policy
                    save.setBytes(3, kind.peek().snapshot()); // snapshot
                    save.setLong(4, kind.peek().size()); // entries
                    save.setLong(5, kind.peek().weightBytes()); // bytes
                    save.addBatch();
                    any = true;
                }
            }
            if (any) {
                save.executeBatch();
            }
        }
    }

    private static void writeBack(Connection connection, Trackers trackers, Map<String, Trackers.Touch> touched,
            long nowMillis) throws SQLException {
        if (touched.isEmpty()) {
            return;
        }
        Object[] keys = new Object[touched.size()];
        Object[] hits = new Object[touched.size()];
        Object[] lastHits = new Object[touched.size()];
        Object[] metas = new Object[touched.size()];
        int i = 0;
        for (Map.Entry<String, Trackers.Touch> entry : touched.entrySet()) {
            Trackers.Touch touch = entry.getValue();
            keys[i] = entry.getKey();
            hits[i] = touch.hits;
            lastHits[i] = touch.lastHitMicros;
            metas[i] = trackers.describe(touch.kind, entry.getKey(), nowMillis);
            i++;
        }
        try (PreparedStatement update = connection.prepareStatement(Queries.UPDATE_ENTRIES)) {
            update.setArray(1, connection.createArrayOf("text", keys)); // cache_key
            update.setArray(2, connection.createArrayOf("bigint", hits)); // hits
            update.setArray(3, connection.createArrayOf("bigint", lastHits)); // last hit, microseconds
            update.setArray(4, connection.createArrayOf("text", metas)); // policy_meta
            update.executeUpdate();
        }
    }
}
