package dev.steadytext.cache.postgres.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs work in one transaction on a connection that otherwise runs in auto-commit mode. */
final class Transactions {

    /** Database work that may throw. */
    @FunctionalInterface
    interface Work {
        void run() throws SQLException;
    }

    private Transactions() {
    }

    /** Runs {@code work} in a transaction of the given isolation; commits, or rolls back and rethrows. */
    static void run(Connection connection, int isolation, Work work) throws SQLException {
        int previous = connection.getTransactionIsolation();
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(isolation);
        try {
            work.run();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            // The connection goes back to auto-commit even when the work failed; if it is broken, this fails too,
            // and the leader gives it up.
            connection.setTransactionIsolation(previous);
            connection.setAutoCommit(true);
        }
    }
}
