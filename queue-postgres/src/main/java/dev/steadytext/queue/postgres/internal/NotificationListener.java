package dev.steadytext.queue.postgres.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens on the {@code steadytext_jobs} channel on a connection of its own, and wakes threads waiting for work.
 *
 * <p>Each waiter compares a wake-up counter against the value it saw last, so a notification that arrives while a
 * waiter is busy claiming is not lost: its next wait returns at once. When the connection breaks, the listener
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
    private long wakeUps;
    private volatile boolean running = true;

    NotificationListener(DataSource dataSource) {
        this.dataSource = dataSource;
        this.thread = Thread.ofPlatform().daemon().name("steadytext-queue-listener").start(this::listen);
    }

    /** Waits until a notification arrived since this thread's previous call, or the timeout passed. */
    boolean await(Duration timeout) throws InterruptedException {
        long[] seen = lastSeen.get();
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (wakeUps == seen[0] && remaining > 0) {
                remaining = woken.awaitNanos(remaining);
            }
            boolean notified = wakeUps != seen[0];
            seen[0] = wakeUps;
            return notified;
        } finally {
            lock.unlock();
        }
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN steadytext_jobs");
                }
                PGConnection postgres = connection.unwrap(PGConnection.class);
                // A wake-up after (re)connecting covers notifications sent while no one listened.
                wake();
                while (running) {
                    PGNotification[] notifications = postgres.getNotifications(500);
                    if (notifications != null && notifications.length > 0) {
                        wake();
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

    private void wake() {
        lock.lock();
        try {
            wakeUps++;
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
