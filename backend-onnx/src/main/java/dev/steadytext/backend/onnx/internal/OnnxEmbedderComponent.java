package dev.steadytext.backend.onnx.internal;

import dev.steadytext.api.embed.Embedder;
import java.io.File;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The DS component that serves one embedding model as an {@link Embedder} service; by default the bundled
 * all-MiniLM-L6-v2, so a platform started offline and unconfigured can embed.
 *
 * <p>Loading takes about a second (extracting, hashing, opening the session, the batch-invariance self-check), which
 * must not run under SCR's activation lock: activation starts a loader thread that registers the service itself.
 */
@Component(configurationPid = OnnxEmbedderComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
@Designate(ocd = OnnxEmbedderComponent.Config.class)
public final class OnnxEmbedderComponent {

    static final String PID = "dev.steadytext.backend.onnx";

    /** Service property: the model's human name, used by requests that name a model. */
    static final String MODEL_NAME = "steadytext.model.name";
    /** Service property: {@link dev.steadytext.api.model.ModelDescriptor#fingerprint()}. */
    static final String MODEL_FINGERPRINT = "steadytext.model.fingerprint";
    /** Service property: true when this model serves requests that name no model. */
    static final String MODEL_DEFAULT = "steadytext.model.default";
    /** Service property: the backend's name. */
    static final String BACKEND = "steadytext.backend";

    private static final Logger LOG = System.getLogger(OnnxEmbedderComponent.class.getName());

    @ObjectClassDefinition(name = "SteadyText ONNX embedding backend",
            description = "Serves one sentence-embedding model (mean pooling, L2 norm) with ONNX Runtime.")
    @interface Config {
        @AttributeDefinition(description = "Path of the .onnx model; empty means the bundled all-MiniLM-L6-v2.")
        String modelPath() default "";

        @AttributeDefinition(description = "Path of the model's tokenizer.json; empty means the bundled one.")
        String tokenizerPath() default "";

        @AttributeDefinition(description = "ONNX Runtime intra-op threads.")
        int intraOpThreads() default 2;

        @AttributeDefinition(description = "The most texts embedded in one call.")
        int maxBatchSize() default 32;

        @AttributeDefinition(description = "Serve requests that name no model.")
        boolean isDefault() default true;

        @AttributeDefinition(description = "Model name.")
        String name() default BundledModel.NAME;
    }

    private final Object lock = new Object();
    private BundleContext context;
    private Thread loader;
    private boolean deactivated;
    private OnnxEmbedder embedder;
    private ServiceRegistration<Embedder> registration;

    @Activate
    void activate(BundleContext context, Config config) {
        this.context = context;
        loader = Thread.ofPlatform().name("steadytext-onnx-load").daemon(true).unstarted(() -> load(config));
        loader.start();
    }

    private void load(Config config) {
        String modelPath = trim(config.modelPath());
        String tokenizerPath = trim(config.tokenizerPath());
        OnnxEmbedder loaded;
        try {
            Path data = dataDirectory();
            OrtNativeLibrary library = OrtNativeLibrary.prepare(data.resolve("native"));
            BundledModel bundled = modelPath.isEmpty() || tokenizerPath.isEmpty()
                    ? BundledModel.extract(data.resolve("model")) : null;
            OnnxSettings settings = new OnnxSettings(
                    modelPath.isEmpty() ? bundled.model() : Path.of(modelPath),
                    tokenizerPath.isEmpty() ? bundled.tokenizer() : Path.of(tokenizerPath),
                    config.name() == null || config.name().isBlank() ? BundledModel.NAME : config.name().trim(),
                    config.intraOpThreads(), config.maxBatchSize());
            long start = System.nanoTime();
            loaded = OnnxEmbedder.load(settings, library);
            LOG.log(Level.INFO, "loaded embedding model {0} from {1} in {2} ms (fingerprint {3}, {4})",
                    settings.name(), settings.modelPath(), String.valueOf((System.nanoTime() - start) / 1_000_000),
                    loaded.model().fingerprint(), loaded.model().settings());
        } catch (Exception | LinkageError e) {
            // Logged, not rethrown: nobody waits for this thread. The message says what to fix.
            LOG.log(Level.ERROR, "cannot load embedding model (modelPath '" + modelPath + "', tokenizerPath '"
                    + tokenizerPath + "'): " + e.getMessage() + "; fix configuration " + PID
                    + " (empty paths mean the bundled model)", e);
            return;
        }
        register(loaded, config.isDefault());
    }

    private void register(OnnxEmbedder loaded, boolean isDefault) {
        synchronized (lock) {
            if (deactivated) {
                loaded.close();
                return;
            }
            embedder = loaded;
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put(MODEL_NAME, loaded.model().name());
            properties.put(MODEL_FINGERPRINT, loaded.model().fingerprint());
            properties.put(MODEL_DEFAULT, isDefault);
            properties.put(BACKEND, OnnxEmbedder.BACKEND);
            // Consumers that ask for any Embedder get the default model first.
            properties.put(Constants.SERVICE_RANKING, isDefault ? 100 : 0);
            registration = context.registerService(Embedder.class, loaded, properties);
        }
    }

    private Path dataDirectory() {
        File dir = context.getDataFile("");
        if (dir == null) {
            throw new IllegalStateException("the OSGi framework gives this bundle no data area for native libraries"
                    + " and the bundled model; configure framework storage (org.osgi.framework.storage)");
        }
        return dir.toPath();
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }

    @Deactivate
    void deactivate() {
        OnnxEmbedder toClose;
        synchronized (lock) {
            deactivated = true;
            if (registration != null) {
                // Unregister first, so no caller gets a model that is about to close.
                registration.unregister();
                registration = null;
            }
            toClose = embedder;
            embedder = null;
        }
        if (toClose != null) {
            toClose.close();
        }
        // A loader still running sees the flag and closes what it loaded.
        loader.interrupt();
    }
}
