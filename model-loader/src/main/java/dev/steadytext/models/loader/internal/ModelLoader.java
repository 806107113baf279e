package dev.steadytext.models.loader.internal;

import dev.steadytext.models.ModelSettings;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * The loader's thread: waits for load requests (NOTIFY steadytext_model_requests, with a slow poll as a fallback),
 * claims them one at a time and answers each with the loaded model or the reason it was not loaded.
 *
 * <p>One load at a time on purpose: a load is a download of up to gigabytes and a model taking memory, so two at once
 * only slow each other down; identical requests are one request already (095-models.sql). Stopping hands the request
 * in progress back, so that the next start (or another worker) takes it.
 */
final class ModelLoader implements AutoCloseable {

    private static final Logger LOG = System.getLogger(ModelLoader.class.getName());
    private static final Duration POLL = Duration.ofSeconds(5);
    private static final Duration RECONNECT_PAUSE = Duration.ofSeconds(1);
    /** A request no worker took for this long fails: nobody is waiting for it any more. */
    static final Duration MAX_PENDING_AGE = Duration.ofMinutes(10);
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private final DataSource dataSource;
    private final ModelRequests requests;
    private final OnDemandLoad load;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile ModelSettings settings;
    private volatile String misconfiguration;

    ModelLoader(DataSource dataSource, ModelRequests requests, OnDemandLoad load) {
        this.dataSource = dataSource;
        this.requests = requests;
        this.load = load;
        this.thread = Thread.ofPlatform().daemon().name("steadytext-model-loader").unstarted(this::run);
    }

    /** The settings loads use from now on. */
    void configure(ModelSettings value) {
        settings = value;
        misconfiguration = null;
    }

    /** The configuration is invalid: loads fail with this message until it is fixed. */
    void misconfigured(String problem) {
        misconfiguration = problem;
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement listen = connection.createStatement()) {
                    listen.execute(Queries.LISTEN);
                }
                PGConnection notifications = connection.unwrap(PGConnection.class);
                while (running) {
                    int expired = requests.expireStale(MAX_PENDING_AGE);
                    if (expired > 0) {
                        LOG.log(Level.WARNING, "{0} model load requests waited more than {1} minutes for a worker and"
                                + " were failed", expired, MAX_PENDING_AGE.toMinutes());
                    }
                    for (Optional<LoadRequest> next = requests.claim(); running && next.isPresent();
                            next = requests.claim()) {
                        process(next.get());
                    }
                    notifications.getNotifications((int) POLL.toMillis());
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.log(Level.WARNING, "model loader: database unavailable ({0}); retrying", e.getMessage());
                    pause();
                }
            } catch (InterruptedException e) {
                return; // stopping
            }
        }
    }

    private void process(LoadRequest claimed) throws SQLException, InterruptedException {
        long start = System.nanoTime();
        LOG.log(Level.INFO, "loading {0} on demand (request {1})", claimed.describe(), claimed.id());
        ProgressReport progress = new ProgressReport(
                (text, done, total) -> record(claimed, text, done, total),
                line -> LOG.log(Level.INFO, "{0}: {1}", claimed.describe(), line), System::nanoTime);
        LoadRequest request = claimed;
        while (true) {
            try {
                LoadedModel loaded = load.load(request, currentSettings(), progress);
                requests.ready(request.id(), loaded, "ready: " + loaded.name());
                LOG.log(Level.INFO, "{0}: served as {1} ({2}), {3} ms after the request was claimed",
                        request.describe(), loaded.name(), loaded.fingerprint(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                return;
            } catch (LoadFailure failure) {
                if (requests.fail(request.id(), failure)) {
                    LOG.log(Level.WARNING, "{0}: not loaded: {1}", request.describe(), failure.getMessage());
                    return;
                }
                // A caller who may download joined while this one was being refused: download after all.
                request = request.downloadAllowed();
            } catch (CancellationException | InterruptedException e) {
                requests.release(request.id());
                LOG.log(Level.INFO, "{0}: stopped while {1}; handed back", request.describe(), progress.last());
                if (e instanceof InterruptedException interrupted) {
                    throw interrupted;
                }
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, request.describe() + ": loading failed unexpectedly", e);
                requests.fail(request.id(), LoadFailure.of("loading " + request.describe() + " failed: " + e, e));
                return;
            }
        }
    }

    /** Progress is for people: a write that fails is logged, and the load goes on. */
    private void record(LoadRequest request, String text, long done, long total) {
        if (!running) {
            throw new CancellationException("the model loader is stopping");
        }
        try {
            requests.progress(request.id(), text, done, total);
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "could not record the progress of {0}: {1}", request.describe(), e.getMessage());
        }
    }

    private ModelSettings currentSettings() throws LoadFailure {
        String problem = misconfiguration;
        if (problem != null) {
            throw LoadFailure.of("the worker's model configuration is invalid: " + problem);
        }
        ModelSettings current = settings;
        if (current == null) {
            throw LoadFailure.of("the worker's model settings are not read yet; ask again");
        }
        return current;
    }

    private static void pause() {
        try {
            Thread.sleep(RECONNECT_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops: no new claims; a load in progress stops at its next progress report, or is interrupted when it does not
     * report within a grace period (a backend still loading, a stalled connection), and its request is handed back.
     */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(STOP_GRACE.toMillis());
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(STOP_GRACE.toMillis() * 5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.log(Level.WARNING, "the model loader thread did not stop; its request returns when this worker's"
                    + " heartbeat goes stale");
        }
    }
}
