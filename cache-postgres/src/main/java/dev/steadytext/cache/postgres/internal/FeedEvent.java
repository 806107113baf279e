package dev.steadytext.cache.postgres.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One thing the trackers must hear of: an insert, removal or clear from the change feed, or a hit or miss from the
 * access log.
 *
 * @param type what happened
 * @param kind the cache kind, null for a clear of every kind
 * @param key the cache key, null for a clear
 * @param micros when it happened, microseconds since the epoch
 * @param sizeBytes an inserted entry's size
 * @param computeMillis an inserted entry's compute time
 */
record FeedEvent(Type type, String kind, String key, long micros, long sizeBytes, long computeMillis) {

    enum Type { INSERT, DELETE, CLEAR, HIT, MISS }

    long millis() {
        return micros / 1000;
    }

    /** The rows of {@link Queries#TAKE_CHANGES}, in the order they were recorded. */
    static List<FeedEvent> changes(ResultSet rows) throws SQLException {
        record Row(long id, FeedEvent event) {
        }
        List<Row> read = new ArrayList<>();
        while (rows.next()) {
            Type type = switch (rows.getString(2)) {
                case "insert" -> Type.INSERT;
                case "delete" -> Type.DELETE;
                default -> Type.CLEAR;
            };
            read.add(new Row(rows.getLong(1), new FeedEvent(type, rows.getString(3), rows.getString(4),
                    rows.getLong(7) * 1000, rows.getLong(5), rows.getLong(6))));
        }
        // DELETE ... RETURNING has no order; ids are the order the changes were recorded in.
        read.sort(Comparator.comparingLong(Row::id));
        return read.stream().map(Row::event).toList();
    }

    /**
     * The rows of {@link Queries#TAKE_ACCESSES}, oldest first; at the same instant a miss before a hit. A row of
     * weight n is n events at its instant, so that every tracker hears of a sampled hit as the hits it stands for.
     */
    static List<FeedEvent> accesses(ResultSet rows) throws SQLException {
        List<FeedEvent> read = new ArrayList<>();
        while (rows.next()) {
            FeedEvent event = new FeedEvent(rows.getBoolean(3) ? Type.HIT : Type.MISS, rows.getString(2),
                    rows.getString(1), rows.getLong(4), 0, 0);
            for (int copy = rows.getInt(5); copy > 0; copy--) {
                read.add(event);
            }
        }
        read.sort(Comparator.comparingLong(FeedEvent::micros).thenComparing(e -> e.type() == Type.HIT));
        return read;
    }

    /**
     * Both streams in one, by time, keeping the changes' own order. A miss comes before a change of the same instant
     * (the miss is what made the worker insert the entry), a hit after it (a hit finds an entry already there).
     */
    static List<FeedEvent> merge(List<FeedEvent> changes, List<FeedEvent> accesses) {
        List<FeedEvent> merged = new ArrayList<>(changes.size() + accesses.size());
        int c = 0;
        int a = 0;
        while (c < changes.size() || a < accesses.size()) {
            if (c == changes.size()) {
                merged.add(accesses.get(a++));
            } else if (a == accesses.size()) {
                merged.add(changes.get(c++));
            } else {
                FeedEvent access = accesses.get(a);
                FeedEvent change = changes.get(c);
                boolean accessFirst = access.micros() < change.micros()
                        || access.micros() == change.micros() && access.type() == Type.MISS;
                merged.add(accessFirst ? accesses.get(a++) : changes.get(c++));
            }
        }
        return merged;
    }
}
