package dev.steadytext.models.loader.internal;

import dev.steadytext.models.ModelKind;
import dev.steadytext.models.ModelRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** One worker's side of {@code steadytext_model_requests}: claims, progress and answers, each its own transaction. */
final class ModelRequests {

    private final DataSource dataSource;
    private final UUID workerId;

    ModelRequests(DataSource dataSource, UUID workerId) {
        this.dataSource = dataSource;
        this.workerId = workerId;
    }

    /** Fails the requests that waited longer than {@code maxAge} for a worker; returns how many. */
    int expireStale(Duration maxAge) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement expire = connection.prepareStatement(Queries.EXPIRE)) {
            expire.setString(1, "no worker started loading the model within " + maxAge.toMinutes() + " minutes of the"
                    + " request; ask again"); // error
            expire.setLong(2, maxAge.toSeconds()); // max age
            try (ResultSet rows = expire.executeQuery()) {
                return rows.next() ? rows.getInt(1) : 0;
            }
        }
    }

    /** The next request for this worker, now marked as its own, if any. */
    Optional<LoadRequest> claim() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement claim = connection.prepareStatement(Queries.CLAIM)) {
            claim.setObject(1, workerId); // worker_id
            claim.setObject(2, workerId); // worker_id
            try (ResultSet row = claim.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new LoadRequest(row.getObject(1, UUID.class),
                        ModelKind.parse("kind", row.getString(2)),
                        new ModelRequest(row.getString(3), row.getString(4), row.getString(5), row.getString(6)),
                        row.getBoolean(7)));
            }
        }
    }

    /** Records where the load stands; {@code -1} for byte counts not known. */
    void progress(UUID request, String text, long bytesDone, long bytesTotal) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(Queries.PROGRESS)) {
            update.setString(1, text); // progress
            setBytes(update, 2, bytesDone); // bytes_done
            setBytes(update, 3, bytesTotal); // bytes_total
            update.setObject(4, request); // request_id
            update.setObject(5, workerId); // worker_id
            update.executeUpdate();
        }
    }

    /** Answers the request with the served model and wakes its callers. */
    void ready(UUID request, LoadedModel model, String progress) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement ready = connection.prepareStatement(Queries.READY)) {
            ready.setString(1, model.fingerprint()); // models
            ready.setObject(2, workerId); // worker_id
            ready.setString(3, model.fingerprint()); // models
            ready.setString(4, model.fingerprint()); // fingerprint
            ready.setString(5, model.name()); // model_name
            ready.setString(6, progress); // progress
            ready.setObject(7, request); // request_id
            ready.setObject(8, workerId); // worker_id
            ready.executeQuery().close();
        }
    }

    /**
     * Fails the request with the failure's message and SQLSTATE and wakes its callers. A refused download fails only
     * while no caller who may download has joined.
     *
     * @return whether the request failed (false: a refused download that someone may now make)
     */
    boolean fail(UUID request, LoadFailure failure) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement fail = connection.prepareStatement(Queries.FAIL)) {
            fail.setString(1, failure.getMessage()); // error
            fail.setString(2, failure.sqlState()); // error_code
            fail.setObject(3, request); // request_id
            fail.setObject(4, workerId); // worker_id
            fail.setBoolean(5, !failure.downloadRefused()); // unconditional
            try (ResultSet rows = fail.executeQuery()) {
                return rows.next() && rows.getInt(1) > 0;
            }
        }
    }

    /** Hands the request back to be claimed again. */
    void release(UUID request) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement release = connection.prepareStatement(Queries.RELEASE)) {
            release.setObject(1, request); // request_id
            release.setObject(2, workerId); // worker_id
            release.executeUpdate();
        }
    }

    private static void setBytes(PreparedStatement statement, int index, long bytes) throws SQLException {
        if (bytes < 0) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, bytes);
        }
    }
}
