package dev.steadytext.cache.postgres.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The eviction service of one worker, on a thread of its own: it stands by until it wins the leader's advisory lock,
 * then leads ({@link Leader}) until it stops or loses its connection. Among all workers serving one schema exactly
 * one leads at a time; a stand-by tries again every {@code standbyMillis}, so when the leader's session ends another
 * takes over within about that time.
 *
 * <p>Only the leader folds the access log: the trackers need every access, so no other worker may consume it.
 */
final class EvictionService {

    private static final Logger LOG = System.getLogger(EvictionService.class.getName());
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final PolicyRegistry registry;
    private final Supplier<ServiceSettings> settings;
    private final Queue<CompletableFuture<Integer>> foldRequests = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean leading;
    private final Object pause = new Object();

    EvictionService(DataSource dataSource, PolicyRegistry registry, Supplier<ServiceSettings> settings) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.settings = settings;
        this.thread = Thread.ofPlatform().daemon().name("steadytext-eviction").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Ends the current term cleanly (a last fold, the trackers saved, the lock released) and the thread. */
    void stop() {
        running = false;
        synchronized (pause) {
            pause.notifyAll();
        }
        try {
            thread.join(STOP_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.log(Level.WARNING, "the eviction service did not stop within {0} s", STOP_GRACE.toSeconds());
        }
    }

    boolean leading() {
        return leading;
    }

    /**
     * Folds the access log now if this worker leads, and returns how many access rows were folded; 0 at once if
     * another worker leads (it folds within its fold interval).
     */
    int foldNow(Duration timeout) {
        if (!leading) {
            return 0;
        }
        CompletableFuture<Integer> folded = new CompletableFuture<>();
        foldRequests.add(folded);
        if (!leading && foldRequests.remove(folded)) {
            return 0; // the term ended meanwhile, after its last answers
        }
        try {
            return folded.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the eviction leader did not fold within " + timeout.toMillis() + " ms", e);
        }
    }

    private void run() {
        int failures = 0;
        boolean reportedUnreachable = false;
        while (running) {
            Connection lock;
            try {
                lock = tryLead();
                reportedUnreachable = false;
            } catch (SQLException e) {
                if (!reportedUnreachable) {
                    LOG.log(Level.WARNING, "the eviction service cannot reach the database ({0}); retrying",
                            e.getMessage());
                    reportedUnreachable = true;
                }
                lock = null;
            }
            if (lock == null) {
                answerFoldRequests();
                sleep(settings.get().standby());
                continue;
            }
            leading = true;
            LOG.log(Level.INFO, "this worker leads eviction");
            try (Leader leader = new Leader(lock, registry, settings)) {
                leader.lead(() -> running, foldRequests);
                failures = 0;
            } catch (SQLException | RuntimeException | LinkageError e) {
                // A LinkageError: a plug-in policy's classes went away under its tracker (its bundle was refreshed).
                failures++;
                LOG.log(Level.WARNING, "the eviction leader stopped: " + e.getMessage(), e);
            } finally {
                leading = false;
                answerFoldRequests();
            }
            if (failures > 0) {
                long backoff = settings.get().standby().toMillis() << Math.min(failures, 5);
                sleep(Duration.ofMillis(Math.min(backoff, LONGEST_PAUSE.toMillis())));
            }
        }
    }

    /** A connection holding the leader's lock, or null when another session holds it. */
    private Connection tryLead() throws SQLException {
        Connection connection = dataSource.getConnection();
        try (PreparedStatement lock = connection.prepareStatement(Queries.TRY_LEAD); ResultSet row = lock.executeQuery()) {
            row.next();
            if (row.getBoolean(1)) {
                return connection;
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        connection.close();
        return null;
    }

    private void answerFoldRequests() {
        for (CompletableFuture<Integer> request = foldRequests.poll(); request != null; request = foldRequests.poll()) {
            request.complete(0);
        }
    }

    private void sleep(Duration duration) {
        synchronized (pause) {
            if (running) {
                try {
                    pause.wait(Math.max(1, duration.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }
}
