package dev.steadytext.worker.internal;

import dev.steadytext.api.model.ModelDescriptor;
import dev.steadytext.api.queue.JobQueue;
import dev.steadytext.api.queue.JobStreams;
import dev.steadytext.api.queue.RequestType;
import dev.steadytext.api.queue.Worker;
import dev.steadytext.api.queue.WorkerRegistry;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Everything a running worker owns: its id, its lanes, and one scheduler thread for registration, heartbeats and
 * lease extension. (The cache access log is folded by the one worker that leads eviction, in the cache-postgres
 * bundle: its eviction policies must see every access.)
 */
final class WorkerRuntime implements Worker {

    private static final Logger LOG = System.getLogger(WorkerRuntime.class.getName());
    private static final Duration REGISTER_RETRY = Duration.ofSeconds(2);

    private final UUID id = UUID.randomUUID();
    private final BundleContext context;
    private final JobQueue queue;
    private final JobStreams streams;
    private final WorkerRegistry registry;
    private final Models models;
    private final JobWorker.Config config;
    private final InFlight inFlight = new InFlight();
    private final AtomicLong jobsDone = new AtomicLong();
    private final ScheduledExecutorService scheduler;
    private final List<Lane> lanes = new ArrayList<>();
    /** The embedding lane's outcomes, completed in the background; null until the lanes start. */
    private volatile Outcomes embedded;
    private final Set<String> registeredModels = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean paused;
    private volatile boolean registered;
    private ServiceRegistration<Worker> registration;

    WorkerRuntime(BundleContext context, JobQueue queue, JobStreams streams, WorkerRegistry registry,
            Models models, JobWorker.Config config) {
        this.context = context;
        this.queue = queue;
        this.streams = streams;
        this.registry = registry;
        this.models = models;
        this.config = config;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("steadytext-worker-scheduler").factory());
    }

    @Override
    public UUID id() {
        return id;
    }

    @Override
    public long jobsDone() {
        return jobsDone.get();
    }

    @Override
    public Set<String> registeredModels() {
        return Set.copyOf(registeredModels);
    }

    void start() {
        scheduler.execute(this::registerAndRun);
    }

    private void registerAndRun() {
        try {
            registry.register(id, hostName(), ProcessHandle.current().pid());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "worker cannot register yet ({0}); retrying in {1} s", e.getMessage(), REGISTER_RETRY.toSeconds());
            scheduler.schedule(this::registerAndRun, REGISTER_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        registered = true;
        models.onAdded((model, isDefault) -> {
            try {
                scheduler.execute(() -> registerModel(model, isDefault));
            } catch (RejectedExecutionException stopping) {
                // A backend that finishes loading while the worker stops: the next start registers its model.
            }
        });
        startLanes();
        schedule(this::heartbeat, config.heartbeatMillis());
        schedule(this::extendLeases, Math.max(1, config.leaseMillis() / 3));
        registration = context.registerService(Worker.class, this, new Hashtable<>(java.util.Map.of("steadytext.worker.id", id.toString())));
        LOG.log(Level.INFO, "worker {0} running", id);
    }

    private void startLanes() {
        Duration lease = Duration.ofMillis(config.leaseMillis());
        Duration poll = Duration.ofMillis(config.pollMillis());
        long groupNanos = TimeUnit.MILLISECONDS.toNanos(config.completionGroupMillis());
        Outcomes generated = new Outcomes(id, queue, inFlight, jobsDone, groupNanos);
        embedded = Outcomes.inBackground(id, queue, inFlight, jobsDone, groupNanos, "steadytext-embedding-completion");
        lanes.add(new Lane("generation", id, queue, Set.of(RequestType.GENERATE), models::generationFingerprints,
                new ClaimSize(config.generationClaimBatch(), config.claimTargetMillis()), lease, poll, new GenerationProcessor(models, generated, new StreamingGeneration(id, streams, generated)), inFlight, () -> paused));
        lanes.add(new Lane("embedding", id, queue, Set.of(RequestType.EMBED, RequestType.EMBED_BATCH), models::embeddingFingerprints,
                new ClaimSize(config.embeddingClaimBatch(), config.embeddingClaimTargetMillis()), lease, poll, new EmbeddingProcessor(models, embedded), inFlight, () -> paused));
        // Reranking has a lane of its own: a job may hold hundreds of documents (or minutes of a llama.cpp
        // cross-encoder), which must not hold up single embeddings; the embedding-similarity reranker shares the
        // Embedder with the embedding lane, which ONNX Runtime allows.
        Outcomes reranked = new Outcomes(id, queue, inFlight, jobsDone, groupNanos);
        lanes.add(new Lane("reranking", id, queue, Set.of(RequestType.RERANK), models::rerankingFingerprints,
                new ClaimSize(config.rerankingClaimBatch(), config.claimTargetMillis()), lease, poll, new RerankProcessor(models, reranked), inFlight, () -> paused));
        lanes.forEach(Lane::start);
    }

    private void registerModel(ModelDescriptor model, boolean isDefault) {
        try {
            registry.registerModel(id, model, isDefault);
            registeredModels.add(model.fingerprint());
            LOG.log(Level.INFO, "serving {0} model {1} ({2})", model.kind().sqlName(), model.name(), model.fingerprint());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not register model " + model.name() + "; retrying", e);
            scheduler.schedule(() -> registerModel(model, isDefault), REGISTER_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void heartbeat() {
        boolean wasPaused = paused;
        paused = registry.heartbeat(id, jobsDone.get(), models.allFingerprints());
        if (paused != wasPaused) {
            LOG.log(Level.INFO, paused ? "processing paused (steadytext_daemon_stop)" : "processing resumed");
        }
    }

    private void extendLeases() {
        List<UUID> held = inFlight.snapshot();
        if (!held.isEmpty()) {
            queue.extendLeases(id, held, Duration.ofMillis(config.leaseMillis()));
        }
    }

    /** Runs {@code task} periodically; a failure is logged and the next run goes ahead. */
    private void schedule(Runnable task, long periodMillis) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "periodic worker task failed: {0}", e.getMessage());
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    void stop() {
        Duration grace = Duration.ofMillis(config.shutdownGraceMillis());
        boolean interrupted = false;
        // Registration, and with it the start of the lanes, runs on the scheduler: stop it first and wait, so that
        // every lane there is has started, and none starts after the lanes are stopped below.
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (registration != null) {
            registration.unregister();
        }
        for (Lane lane : lanes) {
            try {
                if (!lane.stop(grace)) {
                    LOG.log(Level.WARNING, "a job is still running after {0} ms; handing it back", grace.toMillis());
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (embedded != null) {
            embedded.close(); // its last group is recorded before the jobs still held are handed back
        }
        List<UUID> held = inFlight.snapshot();
        try {
            queue.release(id, held);
            if (registered) {
                registry.deregister(id);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not hand back {0} jobs on shutdown; their leases will expire: {1}", held.size(), e.getMessage());
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        LOG.log(Level.INFO, "worker {0} stopped after {1} jobs", id, jobsDone.get());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
