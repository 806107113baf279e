package dev.steadytext.queue.postgres.internal;

import dev.steadytext.api.queue.RequestType;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens on the {@code steadytext_jobs} channel on a connection of its own, and wakes threads waiting for work.
 *
 * <p>A notification's payload names the request type; a waiter waits for some types only, so a request wakes the
 * lane that serves it and not the others (which would each run an empty claim). Each waiter compares the wake-up
 * counters of its types against the sum it saw last, so a notification that arrives while a waiter is busy claiming
 * is not lost: its next wait returns at once. When the connection breaks, the listener
 * reconnects after a pause; waiters meanwhile fall back to their polling timeout.
 */
final class NotificationListener implements AutoCloseable {

    private static final Logger LOG = System.getLogger(NotificationListener.class.getName());
    private static final Duration RECONNECT_PAUSE = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private final ThreadLocal<long[]> lastSeen = ThreadLocal.withInitial(() -> new long[] {0});
    private final long[] wakeUps = new long[RequestType.values().length];
    private volatile boolean running = true;

    NotificationListener(DataSource dataSource) {
        this.dataSource = dataSource;
        this.thread = Thread.ofPlatform().daemon().name("steadytext-queue-listener").start(this::listen);
    }

    /**
     * Waits until a notification for one of {@code types} arrived since this thread's previous call, or the timeout
     * passed. A thread always waits for the same types.
     */
    boolean await(Set<RequestType> types, Duration timeout) throws InterruptedException {
        long[] seen = lastSeen.get();
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (wakeUps(types) == seen[0] && remaining > 0) {
                remaining = woken.awaitNanos(remaining);
            }
            long now = wakeUps(types);
            boolean notified = now != seen[0];
            seen[0] = now;
            return notified;
        } finally {
            lock.unlock();
        }
    }

    private long wakeUps(Set<RequestType> types) {
        long sum = 0;
        for (RequestType type : types) {
            sum += wakeUps[type.ordinal()];
        }
        return sum;
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN steadytext_jobs");
                }
                PGConnection postgres = connection.unwrap(PGConnection.class);
                // A wake-up after (re)connecting covers notifications sent while no one listened.
                wake(EnumSet.allOf(RequestType.class));
                while (running) {
                    PGNotification[] notifications = postgres.getNotifications(500);
                    if (notifications != null && notifications.length > 0) {
                        wake(typesNamed(notifications));
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.log(Level.WARNING, "lost the notification connection ({0}); polling until it is back", e.getMessage());
                    sleepQuietly(RECONNECT_PAUSE);
                }
            }
        }
    }

    /** The request types the notifications name; all of them for a payload that names none we know. */
    private static Set<RequestType> typesNamed(PGNotification[] notifications) {
        Set<RequestType> types = EnumSet.noneOf(RequestType.class);
        for (PGNotification notification : notifications) {
            try {
                types.add(RequestType.ofSqlName(notification.getParameter()));
            } catch (IllegalArgumentException e) {
                return EnumSet.allOf(RequestType.class);
            }
        }
        return types;
    }

    private void wake(Set<RequestType> types) {
        lock.lock();
        try {
            types.forEach(type -> wakeUps[type.ordinal()]++);
            woken.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static void sleepQuietly(Duration pause) {
        try {
            TimeUnit.MILLISECONDS.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
