package dev.steadytext.backend.onnx.internal;

import dev.steadytext.api.embed.Embedder;
import dev.steadytext.backend.support.BackgroundLoad;
import dev.steadytext.backend.support.FileDigests;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.osgi.framework.BundleContext;
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
 * must not run under SCR's activation lock: activation starts a loader thread that registers the service itself, and
 * deactivation waits for that thread before it closes anything ({@link BackgroundLoad}).
 */
@Component(configurationPid = OnnxEmbedderComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
@Designate(ocd = OnnxEmbedderComponent.Config.class)
public final class OnnxEmbedderComponent {

    static final String PID = "dev.steadytext.backend.onnx";


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

    private BundleContext context;
    private BackgroundLoad<OnnxEmbedder> load;

    @Activate
    void activate(BundleContext context, Config config) {
        this.context = context;
        load = BackgroundLoad.start("steadytext-onnx-load", cancelled -> load(config, cancelled),
                loaded -> ModelServices.register(context, Embedder.class, loaded, loaded.model(), config.isDefault()), failure -> LOG.log(Level.ERROR,
                        "cannot load embedding model (modelPath '" + trim(config.modelPath()) + "', tokenizerPath '"
                        + trim(config.tokenizerPath()) + "'): " + failure.getMessage() + "; fix configuration " + PID
                        + " (empty paths mean the bundled model)", failure));
    }

    /** Runs on the loader thread; null when stopped before the (uninterruptible) session is opened. */
    private OnnxEmbedder load(Config config, BooleanSupplier cancelled) throws IOException {
        String modelPath = trim(config.modelPath());
        String tokenizerPath = trim(config.tokenizerPath());
        Path data = BundleStorage.extractionDirectory(context);
        FileDigests digests = FileDigests.open(data.resolve("digests.properties"));
        ResourceFiles resources = new ResourceFiles(digests, BundleStorage.bundleStamp(context));
        OrtNativeLibrary library = OrtNativeLibrary.prepare(data.resolve("native"), resources);
        if (cancelled.getAsBoolean()) {
            return null;
        }
        BundledModel bundled = modelPath.isEmpty() || tokenizerPath.isEmpty()
                ? BundledModel.extract(data.resolve("model"), resources) : null;
        OnnxSettings settings = new OnnxSettings(
                modelPath.isEmpty() ? bundled.model() : Path.of(modelPath),
                tokenizerPath.isEmpty() ? bundled.tokenizer() : Path.of(tokenizerPath),
                config.name() == null || config.name().isBlank() ? BundledModel.NAME : config.name().trim(),
                config.intraOpThreads(), config.maxBatchSize());
        if (cancelled.getAsBoolean()) {
            return null;
        }
        long start = System.nanoTime();
        OnnxEmbedder loaded = OnnxEmbedder.load(settings, library, digests);
        digests.save();
        LOG.log(Level.INFO, "loaded embedding model {0} from {1} in {2} ms (fingerprint {3}, {4})",
                settings.name(), settings.modelPath(), String.valueOf((System.nanoTime() - start) / 1_000_000),
                loaded.model().fingerprint(), loaded.model().settings());
        return loaded;
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }

    /**
     * Stops a load in progress and waits for it (the bundle's classes and native libraries must outlive the loader
     * thread), then unregisters the service and closes the session.
     */
    @Deactivate
    void deactivate() {
        load.cancel(BackgroundLoad.DEFAULT_CANCEL_TIMEOUT);
    }
}
