package dev.steadytext.backend.onnx.internal;

import dev.steadytext.api.rerank.Reranker;
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
 * The DS component that serves one configured ONNX cross-encoder ({@link OnnxCrossEncoder}) as a {@link Reranker}
 * service: {@code conf/dev.steadytext.backend.onnx.crossencoder.cfg} with {@code modelPath} and
 * {@code tokenizerPath}. No cross-encoder ships with the bundle, so without a configuration nothing activates.
 *
 * <p>Loading runs on a thread of its own, which registers the service once the model is ready and checked
 * ({@link BackgroundLoad}); a model that is not a cross-encoder fails the load with a message saying why.
 */
// Configured only where a reranker model is wanted: without configuration it is idle, not missing one.
@Component(configurationPid = OnnxCrossEncoderComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, property = "steadytext.configuration.optional=true")
@Designate(ocd = OnnxCrossEncoderComponent.Config.class)
public final class OnnxCrossEncoderComponent {

    static final String PID = "dev.steadytext.backend.onnx.crossencoder";

    private static final Logger LOG = System.getLogger(OnnxCrossEncoderComponent.class.getName());

    @ObjectClassDefinition(name = "SteadyText ONNX cross-encoder reranker",
            description = "Serves one BERT cross-encoder (such as cross-encoder/ms-marco-MiniLM-L-6-v2) for reranking.")
    @interface Config {
        @AttributeDefinition(description = "Path of the cross-encoder's model.onnx (required).")
        String modelPath();

        @AttributeDefinition(description = "Path of its tokenizer.json, a BERT WordPiece tokenizer (required).")
        String tokenizerPath();

        @AttributeDefinition(description = "ONNX Runtime intra-op threads.")
        int intraOpThreads() default 2;

        @AttributeDefinition(description = "The most (query, document) pairs in one model run.")
        int maxBatchSize() default 16;

        @AttributeDefinition(description = "The longest pair in tokens, special tokens included; longer pairs are"
                + " truncated longest-first.")
        int maxSequenceLength() default 512;

        @AttributeDefinition(description = "Serve rerank requests that name no model.")
        boolean isDefault() default true;

        @AttributeDefinition(description = "Model name; empty means the model file's directory name.")
        String name() default "";
    }

    private BundleContext context;
    private BackgroundLoad<OnnxCrossEncoder> load;

    @Activate
    void activate(BundleContext context, Config config) {
        this.context = context;
        load = BackgroundLoad.start("steadytext-onnx-crossencoder-load", cancelled -> load(config, cancelled),
                loaded -> ModelServices.register(context, Reranker.class, loaded, loaded.model(), config.isDefault()), failure -> LOG.log(Level.ERROR,
                        "cannot load cross-encoder (modelPath '" + trim(config.modelPath()) + "', tokenizerPath '"
                        + trim(config.tokenizerPath()) + "'): " + failure.getMessage() + "; fix configuration " + PID,
                        failure));
    }

    /** Runs on the loader thread; null when stopped before the (uninterruptible) session is opened. */
    private OnnxCrossEncoder load(Config config, BooleanSupplier cancelled) throws IOException {
        if (trim(config.modelPath()).isEmpty() || trim(config.tokenizerPath()).isEmpty()) {
            throw new IllegalArgumentException("modelPath and tokenizerPath must both be set in configuration " + PID);
        }
        Path modelPath = Path.of(trim(config.modelPath()));
        Path data = BundleStorage.extractionDirectory(context);
        FileDigests digests = FileDigests.open(data.resolve("digests.properties"));
        OrtNativeLibrary library = OrtNativeLibrary.prepare(data.resolve("native"),
                new ResourceFiles(digests, BundleStorage.bundleStamp(context)));
        if (cancelled.getAsBoolean()) {
            return null;
        }
        CrossEncoderSettings settings = new CrossEncoderSettings(modelPath, Path.of(trim(config.tokenizerPath())),
                trim(config.name()).isEmpty() ? defaultName(modelPath) : trim(config.name()), config.intraOpThreads(),
                config.maxBatchSize(), config.maxSequenceLength());
        long start = System.nanoTime();
        OnnxCrossEncoder loaded = OnnxCrossEncoder.load(settings, library, digests);
        digests.save();
        LOG.log(Level.INFO, "loaded cross-encoder {0} from {1} in {2} ms (fingerprint {3}, {4})", settings.name(),
                modelPath, String.valueOf((System.nanoTime() - start) / 1_000_000), loaded.model().fingerprint(),
                loaded.model().settings());
        return loaded;
    }

    /** A model's files usually sit in a directory named after it ({@code ms-marco-MiniLM-L-6-v2/model.onnx}). */
    static String defaultName(Path modelPath) {
        Path parent = modelPath.toAbsolutePath().getParent();
        String file = modelPath.getFileName().toString();
        return parent != null && parent.getFileName() != null && file.equals("model.onnx")
                ? parent.getFileName().toString() : file.replaceFirst("\\.onnx$", "");
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }

    /** Stops a load in progress and waits for it, then unregisters the service and closes the session. */
    @Deactivate
    void deactivate() {
        load.cancel(BackgroundLoad.DEFAULT_CANCEL_TIMEOUT);
    }
}
