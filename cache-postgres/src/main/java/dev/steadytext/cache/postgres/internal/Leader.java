package dev.steadytext.cache.postgres.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * One term as the eviction leader, on the connection that holds the leader's advisory lock: every fold interval it
 * folds (re-reading the settings, switching policy when they changed), answers SQL callers' requests, keeps each kind
 * within its budget and, now and then, saves the trackers. The term ends when the service stops, when the
 * configuration file changes (the next term starts at once with the new settings), or when the connection fails (the
 * lock is then gone, and any worker may lead next). Used by the service's thread only.
 */
final class Leader implements AutoCloseable {

    private static final Logger LOG = System.getLogger(Leader.class.getName());
    /** Longest wait between two looks at the stop flag and the fold requests. */
    private static final long WAIT_SLICE_MILLIS = 50;
    private static final long PRUNE_EVERY_NANOS = 3_600_000_000_000L;

    private final Connection connection;
    private final PolicyRegistry registry;
    private final Supplier<ServiceSettings> currentSettings;
    private final ServiceSettings settings;
    private final DbClock clock = new DbClock();
    private final Trackers trackers = new Trackers();
    private final RecentKeys recent;
    private final Evictor evictor;
    private final RequestDesk requests;
    private Map<String, PolicyRegistry.Named> available = Map.of();
    private long publishedVersion = -1;
    private String lastChoiceReport = "";
    private long nextCheckpointNanos;
    private long nextPruneNanos;

    Leader(Connection connection, PolicyRegistry registry, Supplier<ServiceSettings> settings) {
        this.connection = connection;
        this.registry = registry;
        this.currentSettings = settings;
        this.settings = settings.get();
        this.recent = new RecentKeys(this.settings.protectMillis());
        this.evictor = new Evictor(connection, this.settings, recent, clock);
        this.requests = new RequestDesk(connection, evictor, clock);
    }

    /** Leads until {@code running} turns false or the settings change; a failure ends the term with an exception. */
    void lead(BooleanSupplier running, Queue<CompletableFuture<Integer>> foldRequests) throws SQLException {
        try (Statement listen = connection.createStatement()) {
            listen.execute(Queries.LISTEN);
        }
        requests.resumeAbandoned();
        clock.sync(connection);
        SqlSettings sql = SqlSettings.read(connection);
        follow(sql, true);
        Fold.save(connection, trackers);
        trackers.all().forEach(KindTracker::saved);
        nextCheckpointNanos = System.nanoTime() + settings.checkpoint().toNanos();
        nextPruneNanos = System.nanoTime();
        long nextFoldNanos = System.nanoTime();
        while (running.getAsBoolean() && currentSettings.get() == settings) {
            awaitWork(nextFoldNanos, running, foldRequests);
            sql = SqlSettings.read(connection);
            follow(sql, false);
            boolean checkpoint = System.nanoTime() - nextCheckpointNanos >= 0;
            Fold.Result folded = Fold.run(connection, trackers, recent, clock, checkpoint);
            if (checkpoint) {
                nextCheckpointNanos = System.nanoTime() + settings.checkpoint().toNanos();
            }
            answer(foldRequests, folded.accesses());
            requests.serve(trackers, sql, available);
            boolean overBudget = sql.enabled() && keepWithinBudgets(sql);
            prune();
            nextFoldNanos = folded.moreChangesWaiting() || overBudget ? System.nanoTime()
                    : System.nanoTime() + settings.fold().toNanos();
        }
        // A clean end: what happened since the last fold is folded, and the trackers are saved for the next leader.
        Fold.run(connection, trackers, recent, clock, true);
        answer(foldRequests, 0);
    }

    /**
     * Makes the trackers follow the settings and the registered policies: publishes the policies when they changed,
     * and (re)loads the trackers of every kind whose chosen policy differs from the one tracking it.
     */
    private void follow(SqlSettings sql, boolean starting) throws SQLException {
        if (registry.version() != publishedVersion) {
            publishedVersion = registry.version();
            available = registry.available();
            publish(available);
        }
        PolicyRegistry.Choice choice = PolicyRegistry.choose(available, sql.policy(), settings.filePolicy());
        report(choice);
        if (choice.chosen() == null) {
            trackers.clear(); // no policy registered: folding goes on, eviction waits for one
            return;
        }
        Map<String, PolicyRegistry.Named> reload = new LinkedHashMap<>();
        for (String kind : sql.budgets().keySet()) {
            KindTracker running = trackers.get(kind);
            if (running == null || !running.policy().equals(choice.chosen())) {
                reload.put(kind, choice.chosen());
            }
        }
        if (reload.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        String from = trackers.all().stream().map(KindTracker::policyName).distinct().findFirst().orElse(null);
        TrackerLoader.load(connection, trackers, reload, starting, recent, clock);
        nextCheckpointNanos = System.nanoTime(); // save at the next fold, so SQL shows the policy that now runs
        LOG.log(Level.INFO, "eviction policy {0}{1} for {2}, in {3} ms", choice.chosen().name(),
                from == null || from.equals(choice.chosen().name()) ? "" : " (was " + from + ")",
                String.join(" and ", reload.keySet()), (System.nanoTime() - started) / 1_000_000);
    }

    private void report(PolicyRegistry.Choice choice) {
        String report = !choice.fellBack() ? ""
                : choice.chosen() == null ? "no eviction policy is registered; nothing will be evicted until one is"
                : "eviction policy \"" + choice.requested() + "\" is not available (available: "
                        + String.join(", ", available.keySet()) + "); running " + choice.chosen().name();
        if (!report.equals(lastChoiceReport)) {
            lastChoiceReport = report;
            if (!report.isEmpty()) {
                LOG.log(Level.WARNING, report);
            }
        }
    }

    /** One round per kind that is over budget; returns whether any kind is still over it (a round ran out of time). */
    private boolean keepWithinBudgets(SqlSettings sql) throws SQLException {
        boolean over = false;
        for (KindTracker kind : trackers.all()) {
            Budget budget = sql.budget(kind.kind());
            if (budget.excessEntries(kind.peek().size()) > 0 || budget.excessBytes(kind.peek().weightBytes()) > 0) {
                Evictor.Round round = evictor.evict(kind, List.of(), budget, "budget", null,
                        System.nanoTime() + settings.round().toNanos());
                over |= round.evicted() > 0 && (budget.excessEntries(round.entriesAfter()) > 0
                        || budget.excessBytes(round.bytesAfter()) > 0);
            }
        }
        return over;
    }

    /** Waits until the next fold is due, an eviction request is notified, someone asks for a fold, or the end. */
    private void awaitWork(long untilNanos, BooleanSupplier running, Queue<CompletableFuture<Integer>> foldRequests)
            throws SQLException {
        PGConnection postgres = connection.unwrap(PGConnection.class);
        while (running.getAsBoolean() && foldRequests.isEmpty()) {
            long remainingMillis = (untilNanos - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                return;
            }
            PGNotification[] notifications = postgres.getNotifications((int) Math.min(remainingMillis, WAIT_SLICE_MILLIS));
            if (notifications != null && notifications.length > 0) {
                return;
            }
        }
    }

    private static void answer(Queue<CompletableFuture<Integer>> foldRequests, int folded) {
        for (CompletableFuture<Integer> request = foldRequests.poll(); request != null; request = foldRequests.poll()) {
            request.complete(folded);
        }
    }

    private void publish(Map<String, PolicyRegistry.Named> policies) throws SQLException {
        Object[] names = policies.keySet().toArray();
        Object[] descriptions = policies.values().stream().map(named -> safeDescription(named)).toArray();
        Transactions.run(connection, Connection.TRANSACTION_READ_COMMITTED, () -> {
            try (PreparedStatement unpublish = connection.prepareStatement(Queries.UNPUBLISH_POLICIES)) {
                unpublish.setArray(1, connection.createArrayOf("text", names)); // the names still registered
                unpublish.executeUpdate();
            }
            try (PreparedStatement publish = connection.prepareStatement(Queries.PUBLISH_POLICIES)) {
                publish.setArray(1, connection.createArrayOf("text", names)); // name
                publish.setArray(2, connection.createArrayOf("text", descriptions)); // description
                publish.executeUpdate();
            }
        });
        LOG.log(Level.INFO, "eviction policies available: {0}", String.join(", ", policies.keySet()));
    }

    private static String safeDescription(PolicyRegistry.Named named) {
        try {
            return Objects.requireNonNullElse(named.policy().description(), "");
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** Old history and answered requests go, once an hour. */
    private void prune() throws SQLException {
        if (System.nanoTime() - nextPruneNanos < 0) {
            return;
        }
        nextPruneNanos = System.nanoTime() + PRUNE_EVERY_NANOS;
        try (Statement prune = connection.createStatement()) {
            prune.executeUpdate(Queries.PRUNE_LOG);
            prune.executeUpdate(Queries.PRUNE_REQUESTS);
        }
    }

    /** Gives up the lock, and the connection back to the pool. */
    @Override
    public void close() {
        try (Statement statement = connection.createStatement()) {
            statement.execute("UNLISTEN *");
            statement.execute(Queries.UNLOCK);
        } catch (SQLException e) {
            // The connection is broken, and with it the lock is gone.
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.log(Level.DEBUG, "closing the leader's connection: {0}", e.getMessage());
        }
    }
}
