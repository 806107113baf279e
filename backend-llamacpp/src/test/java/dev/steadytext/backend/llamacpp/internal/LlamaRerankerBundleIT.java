package dev.steadytext.backend.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.api.rerank.Reranker;
import dev.steadytext.testkit.FelixRuntime;
import dev.steadytext.testkit.SevereLogRecords;
import java.nio.file.Path;
import java.util.Hashtable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reranker component in the packaged bundle: configured with a model that is not a reranker, it says so. */
class LlamaRerankerBundleIT {

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
