package dev.steadytext.backend.llamacpp.internal;

import dev.steadytext.api.generate.Generator;
import dev.steadytext.backend.support.BackgroundLoad;
import java.io.File;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.function.BooleanSupplier;
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
 * The DS component that serves one configured GGUF model as a {@link Generator} service.
 *
 * <p>Loading a model takes seconds, longer than SCR's 5 s lock allows an activation to take, so activation only starts
 * a loader thread; the loader registers the service itself once the model is ready, and deactivation waits for that
 * thread before it frees anything ({@link BackgroundLoad}). Without a configuration there is no model path, so the
 * component does not activate at all. Factory configurations ({@code dev.steadytext.backend.llamacpp~name}) serve
 * several models side by side.
 */
@Component(configurationPid = LlamaCppComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = LlamaCppComponent.Config.class)
public final class LlamaCppComponent {

    static final String PID = "dev.steadytext.backend.llamacpp";

    /** Service property: the model's human name, used by requests that name a model. */
    static final String MODEL_NAME = "steadytext.model.name";
    /** Service property: {@link dev.steadytext.api.model.ModelDescriptor#fingerprint()}. */
    static final String MODEL_FINGERPRINT = "steadytext.model.fingerprint";
    /** Service property: true when this model serves requests that name no model. */
    static final String MODEL_DEFAULT = "steadytext.model.default";
    /** Service property: the backend's name. */
    static final String BACKEND = "steadytext.backend";

    private static final Logger LOG = System.getLogger(LlamaCppComponent.class.getName());

    @ObjectClassDefinition(name = "SteadyText llama.cpp backend",
            description = "Serves one GGUF model for deterministic, greedy text generation.")
    @interface Config {
        @AttributeDefinition(description = "Path of the GGUF model file (required).")
        String modelPath();

        @AttributeDefinition(description = "Context size in tokens: prompt plus generated text.")
        int contextSize() default 2048;

        @AttributeDefinition(description = "Batch size for prompt processing.")
        int batchSize() default 512;

        @AttributeDefinition(description = "CPU threads.")
        int threads() default 2;

        @AttributeDefinition(description = "Serve requests that name no model.")
        boolean isDefault() default true;

        @AttributeDefinition(description = "Model name; empty means the file's base name without .gguf.")
        String name() default "";
    }

    private BundleContext context;
    private BackgroundLoad<LlamaCppGenerator> load;

    @Activate
    void activate(BundleContext context, Config config) {
        this.context = context;
        load = BackgroundLoad.start("steadytext-llamacpp-load", cancelled -> load(config, cancelled),
                loaded -> register(loaded, config.isDefault()), failure -> LOG.log(Level.ERROR,
                        "cannot load llama.cpp model from modelPath '" + modelPath(config) + "': "
                        + failure.getMessage() + "; check the file is a GGUF model and the configuration " + PID
                        + ", then update it", failure));
    }

    private static String modelPath(Config config) {
        return config.modelPath() == null ? "" : config.modelPath().trim();
    }

    /** Runs on the loader thread; null when stopped before the (uninterruptible) native load. */
    private LlamaCppGenerator load(Config config, BooleanSupplier cancelled) throws IOException {
        String path = modelPath(config);
        if (path.isEmpty()) {
            throw new IllegalArgumentException("modelPath is empty; set it in configuration " + PID);
        }
        Path modelPath = Path.of(path);
        String name = config.name() == null || config.name().isBlank()
                ? LlamaSettings.baseName(modelPath) : config.name().trim();
        LlamaSettings settings = new LlamaSettings(modelPath, name, config.contextSize(), config.batchSize(),
                config.threads());
        LlamaNativeLibrary library = LlamaNativeLibrary.prepare(nativeDirectory());
        if (cancelled.getAsBoolean()) {
            return null;
        }
        long start = System.nanoTime();
        LlamaCppGenerator loaded = LlamaCppGenerator.load(settings, library);
        LOG.log(Level.INFO, "loaded llama.cpp model {0} from {1} in {2} ms (fingerprint {3}, {4})", name, path,
                String.valueOf((System.nanoTime() - start) / 1_000_000), loaded.model().fingerprint(),
                settings.canonical());
        return loaded;
    }

    /** Runs on the loader thread, never after {@link #deactivate} began. */
    private Runnable register(LlamaCppGenerator loaded, boolean isDefault) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(MODEL_NAME, loaded.model().name());
        properties.put(MODEL_FINGERPRINT, loaded.model().fingerprint());
        properties.put(MODEL_DEFAULT, isDefault);
        properties.put(BACKEND, LlamaCppGenerator.BACKEND);
        // Consumers that ask for any Generator get the default model first.
        properties.put(Constants.SERVICE_RANKING, isDefault ? 100 : 0);
        ServiceRegistration<Generator> registration = context.registerService(Generator.class, loaded, properties);
        return registration::unregister;
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
     * thread), then unregisters the service and frees the model.
     */
    @Deactivate
    void deactivate() {
        load.cancel(BackgroundLoad.DEFAULT_CANCEL_TIMEOUT);
    }
}
