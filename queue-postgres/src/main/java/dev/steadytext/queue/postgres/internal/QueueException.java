package dev.steadytext.queue.postgres.internal;

import java.sql.SQLException;

/** A queue operation failed in the database; the message says which, the cause carries the SQLSTATE. */
final class QueueException extends RuntimeException {
    QueueException(String message, SQLException cause) {
        super(message + ": " + cause.getMessage() + " (SQLSTATE " + cause.getSQLState() + ")", cause);
    }
}
