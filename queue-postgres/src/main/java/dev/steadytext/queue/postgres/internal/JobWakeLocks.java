package dev.steadytext.queue.postgres.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The advisory locks that wake a waiting caller the moment its job ends.
 *
 * <p>While this worker runs a job it holds the session-level lock {@code (1398035285, hashtext(request_id))} on a
 * connection of its own: the claim statement takes it, so a caller who sees the job {@code processing} finds it held,
 * and it is let go only after the job's completion (or failure, or release) has committed. A caller waiting for a
 * claimed job asks for the same lock in shared mode and the lock manager wakes it as soon as the worker lets go
 * (010-internal.sql, {@code _steadytext_await_running}). A NOTIFY would instead wake every listening session of the
 * database, and a waiting function could only notice it between sleeps of at least a millisecond.
 *
 * <p>A lock is a hint, never a guarantee: callers bound each wait and read the queue afterwards. A job whose lock this
 * worker could not take (another session held it), or a lock left behind (a stream abandoned by its readers, a
 * broken connection), costs a waiting caller latency, not its answer; {@link #sweep} lets go of locks whose job
 * this worker no longer runs.
 *
 * <p>Claims go through this connection (they take the locks) and are therefore serialized across lanes; a claim
 * is a single short statement that waits for no row lock (SKIP LOCKED), so a lane never waits long for another's.
 */
final class JobWakeLocks implements AutoCloseable {

    /** The lock's first key; 010-internal.sql uses the same. */
    static final int NAMESPACE = 1398035285;

    private static final Logger LOG = System.getLogger(JobWakeLocks.class.getName());
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(30);

    private static final String UNLOCK =
            "SELECT count(*) FILTER (WHERE pg_advisory_unlock(" + NAMESPACE + ", hashtext(id))) FROM unnest(?::text[]) AS id";

    /** Held locks whose job is no longer this worker's running job. */
    private static final String STALE = """
            SELECT id FROM unnest(?::uuid[]) AS id
             WHERE NOT EXISTS (SELECT 1 FROM steadytext_queue q
                                WHERE q.request_id = id AND q.status = 'processing' AND q.worker_id = ?)  -- worker
            """;

    /** What a claim runs on the lock connection. */
    @FunctionalInterface
    interface Claim<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    /** Request id to the number of times this session holds its lock (a lock is re-entrant per session). */
    private final Map<UUID, Integer> held = new HashMap<>();
    private Connection connection;
    private long lastSweep = System.nanoTime();

    JobWakeLocks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Runs a claim on the lock connection; {@link #locked} is then told which request ids it locked. A claim that
     * fails half-way may have taken locks nobody recorded: the session lets go of all of them.
     */
    synchronized <T> T claim(Claim<T> claim) throws SQLException {
        try {
            return claim.run(connection());
        } catch (SQLException | RuntimeException e) {
            discardConnection();
            throw e;
        }
    }

    /** Records locks a claim took. */
    synchronized void locked(Collection<UUID> requestIds) {
        requestIds.forEach(id -> held.merge(id, 1, Integer::sum));
    }

    /** Lets go of the locks of jobs that ended or went back to the queue; their committed state is visible by now. */
    synchronized void release(Collection<UUID> requestIds) {
        List<String> unlock = new ArrayList<>();
        for (UUID id : requestIds) {
            Integer times = held.remove(id);
            for (int i = 0; times != null && i < times; i++) {
                unlock.add(id.toString());
            }
        }
        if (unlock.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection().prepareStatement(UNLOCK)) {
            statement.setArray(1, connection.createArrayOf("text", unlock.toArray()));
            statement.execute();
        } catch (SQLException e) {
            // The locks go with the session; waiting callers fall back to reading the queue.
            LOG.log(Level.WARNING, "could not let go of job wake-up locks ({0}); reconnecting", e.getMessage());
            discardConnection();
        }
    }

    /** Now and then, lets go of locks whose job this worker no longer runs (an abandoned stream, a lost update). */
    synchronized void sweep(UUID workerId) {
        if (held.isEmpty() || System.nanoTime() - lastSweep < SWEEP_INTERVAL.toNanos()) {
            return;
        }
        lastSweep = System.nanoTime();
        List<UUID> stale = new ArrayList<>();
        try (PreparedStatement statement = connection().prepareStatement(STALE)) {
            statement.setArray(1, connection.createArrayOf("uuid", held.keySet().toArray()));
            statement.setObject(2, workerId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    stale.add(rows.getObject(1, UUID.class));
                }
            }
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "could not check job wake-up locks ({0}); reconnecting", e.getMessage());
            discardConnection();
            return;
        }
        release(stale); // under the same monitor: no claim can take one of these locks again meanwhile
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = dataSource.getConnection();
        }
        return connection;
    }

    /**
     * Hands the connection back to the pool without the locks: a pooled session keeps its session locks for the next
     * borrower. When even that fails the connection is broken, and the pool drops it.
     */
    private void discardConnection() {
        held.clear();
        if (connection != null) {
            try (PreparedStatement unlockAll = connection.prepareStatement("SELECT pg_advisory_unlock_all()")) {
                unlockAll.execute();
            } catch (SQLException e) {
                LOG.log(Level.DEBUG, "letting go of every lock failed: the connection is broken", e);
            }
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.log(Level.DEBUG, "closing the lock connection failed", e);
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        discardConnection();
    }
}
