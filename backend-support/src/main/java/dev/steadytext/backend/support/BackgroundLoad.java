package dev.steadytext.backend.support;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Loads a model on its own thread and hands it to a registration callback, for DS components that must not block in
 * {@code @Activate}; {@link #cancel} (from {@code @Deactivate}) waits for that thread before anything is closed.
 *
 * <p>Waiting matters: once deactivation returns, the bundle may stop and its class loader, jar and native libraries
 * go away; a loader still inside native code then crashes the JVM. So {@link #cancel} signals cancellation, joins the
 * thread (bounded), then unregisters and closes whatever was loaded. Nothing is registered once {@link #cancel} has
 * started. The thread is never interrupted: native loads cannot be interrupted anyway, and an interrupt arriving while
 * the loader reads classes or resources from the bundle could make that read fail for good. Loaders instead poll the
 * {@link BooleanSupplier} they are given between steps and return {@code null} to give up.
 *
 * <pre>{@code
 * @Activate void activate(BundleContext context, Config config) {
 *     load = BackgroundLoad.start("steadytext-x-load", cancelled -> cancelled.getAsBoolean() ? null : X.load(config),
 *             x -> context.registerService(X.class, x, properties)::unregister, e -> LOG.log(ERROR, "...", e));
 * }
 * @Deactivate void deactivate() {
 *     load.cancel(BackgroundLoad.DEFAULT_CANCEL_TIMEOUT);
 * }
 * }</pre>
 *
 * @param <T> what is loaded; closed when cancelled
 */
public final class BackgroundLoad<T extends AutoCloseable> {

    /** How long {@code @Deactivate} waits for a load by default: longer than any model load we ship takes. */
    public static final Duration DEFAULT_CANCEL_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = System.getLogger(BackgroundLoad.class.getName());
    /** After this long, {@link #cancel} says what it is waiting for. */
    private static final long WAIT_NOTICE_MILLIS = 1_000;

    /** Loads the value; blocking is expected. */
    @FunctionalInterface
    public interface Loader<T> {
        /**
         * @param cancelled true once {@link BackgroundLoad#cancel} was called; poll it between long steps
         * @return the loaded value, or {@code null} when giving up because of cancellation
         */
        T load(BooleanSupplier cancelled) throws Exception;
    }

    /** Publishes a loaded value (registers a service); called at most once, never after {@link #cancel} started. */
    @FunctionalInterface
    public interface Registrar<T> {
        /** @return what undoes the registration (unregisters the service); called by {@link #cancel} */
        Runnable register(T loaded);
    }

    private final Object lock = new Object();
    private final Thread thread;
    private final Loader<T> loader;
    private final Registrar<T> registrar;
    private final Consumer<Throwable> onFailure;
    // Guarded by lock.
    private boolean cancelled;
    private boolean abandoned;
    private T value;
    private Runnable unregister;

    private BackgroundLoad(String threadName, Loader<T> loader, Registrar<T> registrar,
            Consumer<Throwable> onFailure) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.registrar = Objects.requireNonNull(registrar, "registrar");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
        this.thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::run);
    }

    /**
     * Starts loading on a new daemon thread and returns at once.
     *
     * @param threadName the loader thread's name, also used in log messages
     * @param loader loads the value
     * @param registrar publishes the value unless cancelled; runs on the loader thread
     * @param onFailure told when the loader or the registrar fails, unless cancelled by then (then the failure is
     *     logged at debug level only: stopping mid-load is no error); runs on the loader thread
     */
    public static <T extends AutoCloseable> BackgroundLoad<T> start(String threadName, Loader<T> loader,
            Registrar<T> registrar, Consumer<Throwable> onFailure) {
        BackgroundLoad<T> load = new BackgroundLoad<>(threadName, loader, registrar, onFailure);
        load.thread.start();
        return load;
    }

    private void run() {
        T loaded;
        try {
            loaded = loader.load(this::isCancelled);
        } catch (Exception | LinkageError e) {
            failed(e);
            return;
        }
        if (loaded == null) {
            return;
        }
        T toClose = loaded;
        try {
            synchronized (lock) {
                if (abandoned) {
                    // cancel() gave up waiting and returned: nobody else will close it.
                    LOG.log(Level.INFO, "{0}: load finished after the component was stopped; closing it",
                            thread.getName());
                } else {
                    if (!cancelled) {
                        // Throws: the value is closed below and the failure reported.
                        unregister = registrar.register(loaded);
                    }
                    // Cancelled: cancel() closes the value once this thread has ended.
                    value = loaded;
                    toClose = null;
                }
            }
        } catch (RuntimeException | LinkageError e) {
            failed(e);
        } finally {
            closeQuietly(toClose);
        }
    }

    private void failed(Throwable e) {
        if (isCancelled()) {
            LOG.log(Level.DEBUG, () -> thread.getName() + ": load failed after cancellation: " + e, e);
        } else {
            onFailure.accept(e);
        }
    }

    /** True once {@link #cancel} was called. */
    public boolean isCancelled() {
        synchronized (lock) {
            return cancelled;
        }
    }

    /**
     * Cancels: no registration from now on; waits up to {@code timeout} for the loader thread, then undoes the
     * registration and closes the loaded value, if any. Idempotent. If the thread outlives the timeout (a native load
     * stuck), this returns and the thread closes its value itself when done.
     */
    public void cancel(Duration timeout) {
        synchronized (lock) {
            // Waits for a registration in progress; the loader checks the flag under this lock.
            cancelled = true;
        }
        if (Thread.currentThread() != thread) {
            join(timeout);
        }
        T toClose;
        Runnable toUnregister;
        synchronized (lock) {
            if (thread.isAlive() && Thread.currentThread() != thread) {
                abandoned = true;
                LOG.log(Level.WARNING, "{0}: still loading {1} ms after the component was stopped; not waiting"
                        + " longer, it closes what it loads when done", thread.getName(),
                        String.valueOf(timeout.toMillis()));
            }
            toClose = value;
            toUnregister = unregister;
            value = null;
            unregister = null;
        }
        if (toUnregister != null) {
            // First, so no caller gets a value that is about to close.
            try {
                toUnregister.run();
            } catch (RuntimeException e) {
                // Already gone, e.g. with its bundle.
                LOG.log(Level.DEBUG, () -> thread.getName() + ": unregistering failed: " + e, e);
            }
        }
        closeQuietly(toClose);
    }

    private void join(Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        boolean interrupted = false;
        boolean noticed = false;
        try {
            while (thread.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                long waitMillis = noticed ? TimeUnit.NANOSECONDS.toMillis(left)
                        : Math.min(TimeUnit.NANOSECONDS.toMillis(left), WAIT_NOTICE_MILLIS);
                try {
                    thread.join(Math.max(1, waitMillis));
                } catch (InterruptedException e) {
                    // Waiting is what keeps the JVM alive: finish waiting, restore the flag afterwards.
                    interrupted = true;
                }
                if (!noticed && thread.isAlive() && System.nanoTime() - start >= WAIT_NOTICE_MILLIS * 1_000_000) {
                    noticed = true;
                    LOG.log(Level.INFO, "{0}: waiting up to {1} s for the model load to finish before stopping",
                            thread.getName(), String.valueOf(timeout.toSeconds()));
                }
            }
            if (noticed) {
                LOG.log(Level.INFO, "{0}: load ended {1} ms after the stop began", thread.getName(),
                        String.valueOf(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeQuietly(T toClose) {
        if (toClose == null) {
            return;
        }
        try {
            toClose.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, thread.getName() + ": closing the loaded model failed: " + e.getMessage(), e);
        }
    }
}
