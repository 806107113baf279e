package dev.steadytext.platform.internal;

import dev.steadytext.api.embed.Embedder;
import dev.steadytext.api.generate.Generator;
import dev.steadytext.api.queue.Worker;
import dev.steadytext.platform.DatabaseEndpoint;
import dev.steadytext.platform.PlatformException;
import dev.steadytext.platform.PlatformOptions;
import dev.steadytext.schema.MigrationResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Starts and stops one platform: embedded database, schema, framework, bundles, configurations, worker.
 *
 * <p>Start order, and why:
 * <ol>
 *   <li>the embedded PostgreSQL (if no URL is given), and the schema migration, outside OSGi: the bundles expect
 *       their tables, and Liquibase is simplest on a plain class path;</li>
 *   <li>the framework, then every bundle installed (framework extensions first, should there be any);</li>
 *   <li>SPI Fly and ConfigAdmin started alone, the launcher's configurations created, then FileInstall started
 *       (its first scan of {@code conf/} and {@code plugins/} runs inside its start), all before SCR: components
 *       then activate once with their real configuration instead of activating and reconfiguring;</li>
 *   <li>everything else (SCR, our bundles);</li>
 *   <li>wait for the {@link Worker} service: its presence is readiness.</li>
 * </ol>
 * Anything that fails on the way stops what was started, in reverse order.
 */
public final class PlatformRuntime implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PlatformRuntime.class.getName());
    /**
     * Started before the rest, in this order: the service-loader extender, so that its weaving hook is in place before
     * any class of a bundle it weaves (slf4j-api) loads; and ConfigAdmin, so that configurations exist before SCR.
     */
    private static final List<String> STARTED_FIRST =
            List.of("org.apache.aries.spifly.dynamic.bundle", "org.apache.felix.configadmin");
    /** Left stopped when there is nothing to watch: without a directory it would watch {@code ./load}. */
    private static final String FILE_INSTALL_BUNDLE = "org.apache.felix.fileinstall";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final RuntimeDirectory runtimeDirectory;
    private final EmbeddedDatabase embeddedDatabase; // null when serving an external database
    private final DatabaseEndpoint database;
    private final Framework framework;
    private final BundleDeployer deployer;
    private final Map<Class<?>, ServiceTracker<?, ?>> trackers = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Duration startupTime = Duration.ZERO;

    private PlatformRuntime(RuntimeDirectory runtimeDirectory, EmbeddedDatabase embeddedDatabase,
            DatabaseEndpoint database, Framework framework, BundleDeployer deployer) {
        this.runtimeDirectory = runtimeDirectory;
        this.embeddedDatabase = embeddedDatabase;
        this.database = database;
        this.framework = framework;
        this.deployer = deployer;
    }

    public static PlatformRuntime start(PlatformOptions options) {
        long start = System.nanoTime();
        List<AutoCloseable> started = new ArrayList<>();
        try {
            RuntimeDirectory runtimeDirectory = RuntimeDirectory.create(options.homeDirectory());
            started.add(runtimeDirectory);
            Database database = Database.open(options, started);
            if (options.migrateSchema()) {
                migrate(database, options);
            }
            PlatformRuntime runtime = startFramework(options, runtimeDirectory, database, started);
            runtime.awaitModelsServed(runtime.service(Worker.class, options.readyTimeout()), options.readyTimeout());
            runtime.startupTime = Duration.ofNanos(System.nanoTime() - start);
            return runtime;
        } catch (PlatformException e) {
            closeInReverse(started);
            throw e;
        } catch (RuntimeException e) {
            closeInReverse(started);
            throw new PlatformException("The platform did not start: " + e.getMessage(), e);
        }
    }

    /** The database served, and the embedded PostgreSQL serving it if no URL was given. */
    private record Database(String jdbcUrl, Optional<String> user, Optional<String> password,
            EmbeddedDatabase embedded) {

        static Database open(PlatformOptions options, List<AutoCloseable> started) {
            if (!options.embeddedDatabase()) {
                return new Database(options.jdbcUrl().orElseThrow(), options.user(), options.password(), null);
            }
            long start = System.nanoTime();
            EmbeddedDatabase embedded = EmbeddedDatabase.start(options.embeddedDataDirectory(),
                    options.homeDirectory().resolve("postgres-binaries"),
                    options.homeDirectory().resolve("postgres.log"), options.embeddedPort());
            started.add(embedded);
            LOG.log(System.Logger.Level.INFO, "Embedded PostgreSQL up in {0} ms", millisSince(start));
            return new Database(embedded.jdbcUrl(), Optional.of(EmbeddedDatabase.USER), Optional.empty(), embedded);
        }

        DatabaseEndpoint endpoint(String schema) {
            return DatabaseEndpoint.of(jdbcUrl, user, schema);
        }
    }

    private static void migrate(Database database, PlatformOptions options) {
        MigrationResult migration = new SchemaInstaller()
                .install(database.jdbcUrl(), database.user(), database.password(), options.schema());
        LOG.log(System.Logger.Level.INFO, "Schema {0} {1} in {2} ms (embeddings as {3})", options.schema(),
                migration.upToDate() ? "up to date" : "migrated (" + migration.changeSetsApplied() + " changes)",
                migration.elapsed().toMillis(), migration.embeddingType());
    }

    private static PlatformRuntime startFramework(PlatformOptions options, RuntimeDirectory runtimeDirectory,
            Database database, List<AutoCloseable> started) {
        long start = System.nanoTime();
        Framework framework = newFramework(options, runtimeDirectory);
        started.add(() -> stop(framework));
        BundleDeployer deployer = new BundleDeployer(framework.getBundleContext());
        deployer.installAll(options.bundlesDirectory());
        deployer.start(STARTED_FIRST);
        PlatformRuntime runtime = new PlatformRuntime(runtimeDirectory, database.embedded(),
                database.endpoint(options.schema()), framework, deployer);
        new PlatformConfigurations(runtime.service(ConfigurationAdmin.class, Duration.ofSeconds(10)))
                .apply(database.jdbcUrl(), database.user(), database.password(), options);
        if (watchesDirectories(options)) {
            // Its initial scan runs inside its start (noInitialDelay): conf/ is applied before SCR starts too.
            deployer.start(List.of(FILE_INSTALL_BUNDLE));
        }
        deployer.startRest(watchesDirectories(options) ? Set.of() : Set.of(FILE_INSTALL_BUNDLE));
        LOG.log(System.Logger.Level.INFO, "Framework started: {0} bundles in {1} ms", deployer.installed().size(),
                millisSince(start));
        return runtime;
    }

    /**
     * Waits until the worker has announced the models SQL callers will ask for: the embedding model (the default
     * backend always runs) and a generation model when one is configured. Before that, a request could find no model
     * to key to, so "ready" waits for it.
     */
    private void awaitModelsServed(Worker worker, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> expected = new ArrayList<>();
        expected.add(service(Embedder.class, timeout).model().fingerprint());
        if (generationConfigured()) {
            expected.add(service(Generator.class, Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))).model().fingerprint());
        }
        while (!worker.registeredModels().containsAll(expected)) {
            if (System.nanoTime() > deadline) {
                throw new PlatformException("The worker did not announce its models within " + timeout.toSeconds()
                        + " s; is the database reachable?", diagnose(), null);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PlatformException("Interrupted while waiting for the worker's models", e);
            }
        }
    }

    private boolean generationConfigured() {
        String pid = PlatformConfigurations.LLAMACPP_PID;
        String filter = "(|(service.pid=" + pid + ")(service.factoryPid=" + pid + "))";
        try {
            return service(ConfigurationAdmin.class, Duration.ofSeconds(10)).listConfigurations(filter) != null;
        } catch (java.io.IOException | org.osgi.framework.InvalidSyntaxException e) {
            throw new PlatformException("Could not read the configurations: " + e.getMessage(), e);
        }
    }

    public DatabaseEndpoint database() {
        return database;
    }

    public Duration startupTime() {
        return startupTime;
    }

    public <S> S service(Class<S> type, Duration timeout) {
        ServiceTracker<S, S> tracker = tracker(type);
        S service;
        try {
            service = tracker.waitForService(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException("Interrupted while waiting for " + type.getName(), e);
        }
        if (service == null) {
            throw new PlatformException("No " + type.getName() + " service after " + timeout.toSeconds() + " s",
                    diagnose(), null);
        }
        return service;
    }

    /** Why services may be missing: bundles not active and components not satisfied. */
    public List<String> diagnose() {
        return ComponentDiagnosis.problems(deployer.expectedActive(), deployer.failures(),
                tracker(ServiceComponentRuntime.class).getService());
    }

    public void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        trackers.values().forEach(ServiceTracker::close);
        List<AutoCloseable> started = new ArrayList<>();
        started.add(runtimeDirectory);
        if (embeddedDatabase != null) {
            started.add(embeddedDatabase);
        }
        started.add(() -> stop(framework));
        closeInReverse(started);
    }

    @SuppressWarnings("unchecked") // the map holds a ServiceTracker<S, S> for each Class<S>
    private <S> ServiceTracker<S, S> tracker(Class<S> type) {
        return (ServiceTracker<S, S>) trackers.computeIfAbsent(type, this::openTracker);
    }

    private ServiceTracker<?, ?> openTracker(Class<?> type) {
        ServiceTracker<?, ?> tracker = new ServiceTracker<>(framework.getBundleContext(), type, null);
        tracker.open();
        return tracker;
    }

    private static boolean watchesDirectories(PlatformOptions options) {
        return options.configDirectory().isPresent() || options.pluginsDirectory().isPresent();
    }

    private static Framework newFramework(PlatformOptions options, RuntimeDirectory runtimeDirectory) {
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, PlatformRuntime.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No OSGi framework on the class path"));
        Framework framework = factory.newFramework(
                FrameworkSettings.of(options, runtimeDirectory.resolve("felix-cache")));
        try {
            framework.start();
        } catch (BundleException e) {
            throw new PlatformException("The OSGi framework did not start", e);
        }
        return framework;
    }

    private static void stop(Framework framework) throws BundleException, InterruptedException {
        framework.stop();
        var event = framework.waitForStop(STOP_TIMEOUT.toMillis());
        if (event.getType() == org.osgi.framework.FrameworkEvent.WAIT_TIMEDOUT) {
            LOG.log(System.Logger.Level.WARNING, "The framework did not stop within {0} s", STOP_TIMEOUT.toSeconds());
        }
    }

    /**
     * Stops what a failed start started. A start aborted by an interrupt (a signal while starting) must still stop
     * everything, and waiting for the framework or the database to stop would end at once with the interrupt flag
     * set: the flag is cleared while stopping and set again afterwards.
     */
    private static void closeInReverse(List<AutoCloseable> started) {
        boolean interrupted = Thread.interrupted();
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "Error while stopping", e);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
