package dev.steadytext.backend.onnx.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.api.rerank.Reranker;
import dev.steadytext.testkit.FelixRuntime;
import dev.steadytext.testkit.TinyOnnxModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;

/** The cross-encoder component in the packaged bundle: nothing until configured, then a Reranker service. */
class OnnxCrossEncoderBundleIT {

    @Test
    void crossEncoder_registersARerankerOnceConfigured(@TempDir Path storage) throws Exception {
        Path model = TinyOnnxModel.write(Files.createDirectories(storage.resolve("tiny-cross-encoder")).resolve("model.onnx"));
        try (FelixRuntime felix = FelixRuntime.start(storage.resolve("felix"))) {
            Thread.sleep(300);
            assertThat(felix.context().getServiceReference(Reranker.class)).as("configurationPolicy = REQUIRE").isNull();

            Hashtable<String, Object> config = new Hashtable<>();
            config.put("modelPath", model.toAbsolutePath().toString());
            config.put("tokenizerPath", MiniLmFiles.tokenizer().toAbsolutePath().toString());
            felix.configure(OnnxCrossEncoderComponent.PID, config);
            ServiceReference<Reranker> reference = felix.awaitService(Reranker.class, 60_000);

            assertThat(reference.getProperty("steadytext.model.name")).isEqualTo("tiny-cross-encoder");
            assertThat(reference.getProperty("steadytext.model.default")).isEqualTo(true);
            assertThat(reference.getProperty("steadytext.backend")).isEqualTo("onnxruntime");
            Reranker reranker = felix.context().getService(reference);
            assertThat(reference.getProperty("steadytext.model.fingerprint")).isEqualTo(reranker.model().fingerprint());
            double[] scores = reranker.score("q", List.of("a", "a longer document"), "");
            assertThat(scores).hasSize(2);
            assertThat(scores[1]).as("more tokens, a larger sum in the tiny model").isGreaterThan(scores[0]);
            felix.context().ungetService(reference);
        }
    }
}
