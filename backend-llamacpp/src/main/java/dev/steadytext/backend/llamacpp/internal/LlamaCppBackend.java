package dev.steadytext.backend.llamacpp.internal;

import dev.steadytext.api.generate.Generator;
import dev.steadytext.backend.support.BackgroundLoad;
import java.io.File;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.function.BooleanSupplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/**
 * One configured GGUF model served as a {@link Generator} service: what each instance of the llama.cpp components
 * runs.
 *
 * <p>Loading a model takes seconds, longer than SCR's 5 s lock allows an activation to take, so {@link #start} only
 * starts a loader thread; the loader registers the service itself once the model is ready, and {@link #stop} waits
 * for that thread before it frees anything ({@link BackgroundLoad}).
 *
 * <p>Both the service and a failed load carry the configuration's PID ({@value #CONFIG_PID}), so that whoever
 * created the configuration (the worker, loading a model on demand) finds what became of it. A failed load is
 * published as a service too: the exception itself, registered as {@code java.lang.Throwable}, which every bundle
 * can see without an API type of its own; it goes away when the configuration does.
 */
final class LlamaCppBackend {

    /** Service property: the model's human name, used by requests that name a model. */
    static final String MODEL_NAME = "steadytext.model.name";
    /** Service property: {@link dev.steadytext.api.model.ModelDescriptor#fingerprint()}. */
    static final String MODEL_FINGERPRINT = "steadytext.model.fingerprint";
    /** Service property: true when this model serves requests that name no model. */
    static final String MODEL_DEFAULT = "steadytext.model.default";
    /** Service property: the backend's name. */
    static final String BACKEND = "steadytext.backend";
    /** Service property of the Generator and of a failed load: the PID of the configuration they come from. */
    static final String CONFIG_PID = "steadytext.config.pid";
    /** Service property of a failed load: the model file it could not load. */
    static final String MODEL_PATH = "steadytext.model.path";

    private static final Logger LOG = System.getLogger(LlamaCppBackend.class.getName());

    private final BundleContext context;
    private final String configPid;
    private final PublishedFailure failure;
    private BackgroundLoad<LlamaCppGenerator> load;

    private LlamaCppBackend(BundleContext context, String configPid) {
        this.context = context;
        this.configPid = configPid;
        this.failure = new PublishedFailure(context);
    }

    /** Starts loading the configured model on a thread of its own; returns at once. */
    static LlamaCppBackend start(BundleContext context, LlamaCppComponent.Config config, String configPid) {
        LlamaCppBackend backend = new LlamaCppBackend(context, configPid);
        backend.load = BackgroundLoad.start("steadytext-llamacpp-load", cancelled -> backend.load(config, cancelled),
                loaded -> backend.register(loaded, config.isDefault()), cause -> backend.failed(cause, config));
        return backend;
    }

    private static String modelPath(LlamaCppComponent.Config config) {
        return config.modelPath() == null ? "" : config.modelPath().trim();
    }

    /** Runs on the loader thread; null when stopped before the (uninterruptible) native load. */
    private LlamaCppGenerator load(LlamaCppComponent.Config config, BooleanSupplier cancelled) throws IOException {
        String path = modelPath(config);
        if (path.isEmpty()) {
            throw new IllegalArgumentException("modelPath is empty; set it in configuration " + configPid);
        }
        Path modelPath = Path.of(path);
        String name = config.name() == null || config.name().isBlank()
                ? LlamaSettings.baseName(modelPath) : config.name().trim();
        LlamaSettings settings = new LlamaSettings(modelPath, name, config.contextSize(), config.batchSize(),
                config.threads());
        // A file that is not GGUF fails here, saying so (a missing one fails in the load, saying that).
        String architecture = Files.isRegularFile(modelPath) ? GgufMetadata.read(modelPath).architecture() : "";
        LlamaNativeLibrary library = LlamaNativeLibrary.prepare(nativeDirectory());
        if (cancelled.getAsBoolean()) {
            return null;
        }
        long start = System.nanoTime();
        LlamaCppGenerator loaded;
        try {
            loaded = LlamaCppGenerator.load(settings, library);
        } catch (RuntimeException e) {
            // llama.cpp's own reason went to its log; the architecture is the usual one (a newer model family).
            throw new IOException("llama.cpp could not load " + modelPath + (architecture.isEmpty() ? ""
                    : " (GGUF architecture '" + architecture + "'; this build of llama.cpp may not know it)") + ": "
                    + e.getMessage(), e);
        }
        LOG.log(Level.INFO, "loaded llama.cpp model {0} from {1} in {2} ms (fingerprint {3}, {4})", name, path,
                String.valueOf((System.nanoTime() - start) / 1_000_000), loaded.model().fingerprint(),
                settings.canonical());
        return loaded;
    }

    /** Runs on the loader thread, never after {@link #stop} began. */
    private Runnable register(LlamaCppGenerator loaded, boolean isDefault) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(MODEL_NAME, loaded.model().name());
        properties.put(MODEL_FINGERPRINT, loaded.model().fingerprint());
        properties.put(MODEL_DEFAULT, isDefault);
        properties.put(BACKEND, LlamaCppGenerator.BACKEND);
        properties.put(CONFIG_PID, configPid);
        // Consumers that ask for any Generator get the default model first.
        properties.put(Constants.SERVICE_RANKING, isDefault ? 100 : 0);
        ServiceRegistration<Generator> registration = context.registerService(Generator.class, loaded, properties);
        return registration::unregister;
    }

    /** Runs on the loader thread: logs the failure and publishes it for the configuration's creator. */
    private void failed(Throwable cause, LlamaCppComponent.Config config) {
        LOG.log(Level.ERROR, "cannot load llama.cpp model from modelPath '" + modelPath(config) + "': "
                + cause.getMessage() + "; check the file is a GGUF model and the configuration " + configPid
                + ", then update it", cause);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(CONFIG_PID, configPid);
        properties.put(MODEL_PATH, modelPath(config));
        properties.put(BACKEND, LlamaCppGenerator.BACKEND);
        failure.publish(cause, properties);
    }

    private Path nativeDirectory() {
        File dir = context.getDataFile("native");
        if (dir == null) {
            throw new IllegalStateException("the OSGi framework gives this bundle no data area for the native library;"
                    + " configure framework storage (org.osgi.framework.storage)");
        }
        return dir.toPath();
    }

    /**
     * Stops a load in progress and waits for it (the bundle's classes and native library must outlive the loader
     * thread), then unregisters the service (or the failure) and frees the model.
     */
    void stop() {
        load.cancel(BackgroundLoad.DEFAULT_CANCEL_TIMEOUT);
        failure.withdraw();
    }
}
