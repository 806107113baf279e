package dev.steadytext.backend.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.steadytext.api.rerank.Reranker;
import dev.steadytext.backend.support.Sha256;
import dev.steadytext.testkit.FelixRuntime;
import dev.steadytext.testkit.SevereLogRecords;
import dev.steadytext.testkit.TinyGgufReranker;
import java.nio.file.Path;
import java.util.Hashtable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;

/**
 * The reranker component in the packaged bundle: configured with a reranker model ({@link TinyGgufReranker}) it
 * serves the same scores as the reranker in-process; configured with a model that is not a reranker, it says so.
 */
class LlamaRerankerBundleIT {

    @Test
    void reranker_configuredWithARerankerModel_registersAServiceScoringAsInProcess(@TempDir Path storage)
            throws Exception {
        Path model = TinyGgufReranker.write(storage.resolve("tiny-gguf-reranker.gguf"));
        try (FelixRuntime felix = FelixRuntime.start(storage.resolve("felix"))) {
            Hashtable<String, Object> config = new Hashtable<>();
            config.put("modelPath", model.toAbsolutePath().toString());
            config.put("contextSize", TinyGgufReranker.CONTEXT_LENGTH);
            config.put("batchSize", TinyGgufReranker.CONTEXT_LENGTH);
            config.put("threads", 2);
            felix.configure(LlamaRerankerComponent.PID, config);
            ServiceReference<Reranker> reference = felix.awaitService(Reranker.class, 30_000);

            assertThat(reference.getProperty("steadytext.model.name")).isEqualTo("tiny-gguf-reranker");
            Reranker reranker = felix.context().getService(reference);
            assertThat(reference.getProperty("steadytext.model.fingerprint")).isEqualTo(reranker.model().fingerprint());
            assertThat(reranker.model().modelSha256()).isEqualTo(Sha256.of(model));
            assertThat(reranker.model().settings())
                    .isEqualTo("n_ctx=128;n_batch=128;threads=2;parallel=1;pooling=rank;prompt=pair;score=sigmoid");
            // The native library can be loaded once per JVM, so "in-process" is the scores LlamaCppRerankerScoresIT
            // measures in its own JVM, pinned in TinyGgufReranker.
            assertThat(reranker.score(TinyGgufReranker.QUERY, TinyGgufReranker.DOCUMENTS, ""))
                    .containsExactly(TinyGgufReranker.expectedScores(), offset(TinyGgufReranker.SCORE_TOLERANCE));
            felix.context().ungetService(reference);
        }
    }

    @Test
    void reranker_configuredWithAGenerationModel_logsWhyAndRegistersNothing(@TempDir Path storage) throws Exception {
        SevereLogRecords severe = SevereLogRecords.capture();
        try (FelixRuntime felix = FelixRuntime.start(storage)) {
            Hashtable<String, Object> config = new Hashtable<>();
            config.put("modelPath", Stories260K.path().toAbsolutePath().toString());
            felix.configure(LlamaRerankerComponent.PID, config);

            long deadline = System.nanoTime() + 10_000_000_000L;
            while (severe.messages().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }

            assertThat(severe.messages()).singleElement().asString()
                    .contains("cannot load llama.cpp reranker", "stories260K.gguf is not a reranker model",
                            LlamaRerankerComponent.PID);
            assertThat(felix.context().getServiceReference(Reranker.class)).isNull();
            assertThat(felix.bundle("dev.steadytext.backend.llamacpp").getDataFile("native/lib/libjllama.so"))
                    .as("refused before the native library was even extracted").doesNotExist();
        } finally {
            severe.close();
        }
    }
}
