package dev.steadytext.cache.postgres.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The database's clock, as trackers see time: access times come from the database, so "now" must too, or a worker
 * whose clock is off would age entries wrongly. Read once per fold and advanced with the local monotonic clock in
 * between.
 */
final class DbClock {

    private long dbMillis;
    private long syncedNanos = System.nanoTime();

    void sync(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(Queries.CLOCK); ResultSet row = query.executeQuery()) {
            row.next();
            dbMillis = row.getLong(1);
            syncedNanos = System.nanoTime();
        }
    }

    long nowMillis() {
        return dbMillis + (System.nanoTime() - syncedNanos) / 1_000_000;
    }
}
