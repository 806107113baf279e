package dev.steadytext.backend.llamacpp.internal;

import dev.steadytext.api.rerank.Reranker;
import dev.steadytext.backend.support.BackgroundLoad;
import java.io.File;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;
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
 * The DS component that serves one configured GGUF reranker model ({@link LlamaCppReranker}) as a {@link Reranker}
 * service: {@code conf/dev.steadytext.backend.llamacpp.reranker.cfg}, or factory configurations
 * ({@code dev.steadytext.backend.llamacpp.reranker~name.cfg}) for several (one or the other: Felix SCR refuses factory
 * configurations of a PID that has a singleton one).
 *
 * <p>As for generation models, activation only starts a loader thread that registers the service once the model is
 * ready ({@link BackgroundLoad}). A file that is not a reranker model fails the load with a message, before any
 * native code runs, and no service appears: the failure is published instead ({@link PublishedFailure}), so that the
 * worker loading a reranker on demand tells its callers why.
 */
// Configured only where a reranker model is wanted: without configuration it is idle, not missing one.
@Component(configurationPid = LlamaRerankerComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, property = "steadytext.configuration.optional=true")
@Designate(ocd = LlamaRerankerComponent.Config.class)
public final class LlamaRerankerComponent {

    static final String PID = "dev.steadytext.backend.llamacpp.reranker";

    private static final Logger LOG = System.getLogger(LlamaRerankerComponent.class.getName());

    @ObjectClassDefinition(name = "SteadyText llama.cpp reranker",
            description = "Serves one GGUF reranker model (rank pooling and a classification head, such as"
                    + " bge-reranker or Qwen3-Reranker) for deterministic reranking.")
    @interface Config {
        @AttributeDefinition(description = "Path of the GGUF reranker model file (required).")
        String modelPath();

        @AttributeDefinition(description = "Context size in tokens: one query and one document together.")
        int contextSize() default 512;

        @AttributeDefinition(description = "Batch size; an encoder model needs the whole pair in one batch.")
        int batchSize() default 512;

        @AttributeDefinition(description = "CPU threads.")
        int threads() default 2;

        @AttributeDefinition(description = "How query and document are put together: auto (from the architecture),"
                + " pair (cross-encoders such as bge-reranker) or qwen3 (Qwen3-Reranker's template).")
        String promptTemplate() default "auto";

        @AttributeDefinition(description = "Serve rerank requests that name no model.")
        boolean isDefault() default true;

        @AttributeDefinition(description = "Model name; empty means the file's base name without .gguf.")
        String name() default "";
    }

    private BundleContext context;
    private String configPid;
    private BackgroundLoad<LlamaCppReranker> load;
    private PublishedFailure failure;

    @Activate
    void activate(BundleContext context, Config config, Map<String, Object> properties) {
        this.context = context;
        this.configPid = LlamaCppComponent.configurationPid(properties, PID);
        this.failure = new PublishedFailure(context);
        load = BackgroundLoad.start("steadytext-llamacpp-rerank-load", cancelled -> load(config, cancelled),
                loaded -> register(loaded, config.isDefault()), cause -> failed(cause, config));
    }

    /** Runs on the loader thread: logs the failure and publishes it for the configuration's creator. */
    private void failed(Throwable cause, Config config) {
        LOG.log(Level.ERROR, "cannot load llama.cpp reranker from modelPath '" + modelPath(config) + "': "
                + cause.getMessage() + "; fix the configuration " + configPid + ", then update it", cause);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(LlamaCppBackend.CONFIG_PID, configPid);
        properties.put(LlamaCppBackend.MODEL_PATH, modelPath(config));
        properties.put(LlamaCppBackend.BACKEND, LlamaCppGenerator.BACKEND);
        failure.publish(cause, properties);
    }

    private static String modelPath(Config config) {
        return config.modelPath() == null ? "" : config.modelPath().trim();
    }

    /** Runs on the loader thread; null when stopped before the (uninterruptible) native load. */
    private LlamaCppReranker load(Config config, BooleanSupplier cancelled) throws IOException {
        String path = modelPath(config);
        if (path.isEmpty()) {
            throw new IllegalArgumentException("modelPath is empty; set it in configuration " + configPid);
        }
        Path modelPath = Path.of(path);
        String name = config.name() == null || config.name().isBlank()
                ? LlamaSettings.baseName(modelPath) : config.name().trim();
        LlamaSettings settings = new LlamaSettings(modelPath, name, config.contextSize(), config.batchSize(),
                config.threads());
        // Refuse a file that is not a reranker before any native code runs: llama.cpp would abort the JVM on it.
        LlamaCppReranker.check(modelPath, config.promptTemplate());
        File nativeDir = context.getDataFile("native");
        if (nativeDir == null) {
            throw new IllegalStateException("the OSGi framework gives this bundle no data area for the native library");
        }
        LlamaNativeLibrary library = LlamaNativeLibrary.prepare(nativeDir.toPath());
        if (cancelled.getAsBoolean()) {
            return null;
        }
        long start = System.nanoTime();
        LlamaCppReranker loaded = LlamaCppReranker.load(settings, config.promptTemplate(), library);
        LOG.log(Level.INFO, "loaded llama.cpp reranker {0} from {1} in {2} ms (fingerprint {3}, {4})", name, path,
                String.valueOf((System.nanoTime() - start) / 1_000_000), loaded.model().fingerprint(),
                loaded.model().settings());
        return loaded;
    }

    /** Runs on the loader thread, never after {@link #deactivate} began. */
    private Runnable register(LlamaCppReranker loaded, boolean isDefault) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(LlamaCppBackend.MODEL_NAME, loaded.model().name());
        properties.put(LlamaCppBackend.MODEL_FINGERPRINT, loaded.model().fingerprint());
        properties.put(LlamaCppBackend.MODEL_DEFAULT, isDefault);
        properties.put(LlamaCppBackend.BACKEND, LlamaCppGenerator.BACKEND);
        properties.put(LlamaCppBackend.CONFIG_PID, configPid);
        properties.put(Constants.SERVICE_RANKING, isDefault ? 100 : 0);
        ServiceRegistration<Reranker> registration = context.registerService(Reranker.class, loaded, properties);
        return registration::unregister;
    }

    /** Stops a load in progress and waits for it, then unregisters the service and frees the model. */
    @Deactivate
    void deactivate() {
        load.cancel(BackgroundLoad.DEFAULT_CANCEL_TIMEOUT);
        failure.withdraw();
    }
}
