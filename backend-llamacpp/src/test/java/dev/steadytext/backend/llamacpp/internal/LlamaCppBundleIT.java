package dev.steadytext.backend.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.api.generate.Generation;
import dev.steadytext.api.generate.GenerationRequest;
import dev.steadytext.api.generate.Generator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/** The packaged bundle in a real Felix with SCR and ConfigAdmin: resolution, native loading, service life cycle. */
class LlamaCppBundleIT {

    @Test
    void bundle_registersGeneratorOnceConfigured_andUnregistersWhenStopped(@TempDir Path storage) throws Exception {
        try (FelixRuntime felix = FelixRuntime.start(storage)) {
            Bundle bundle = felix.bundle("dev.steadytext.backend.llamacpp");
            assertThat(bundle.getState()).isEqualTo(Bundle.ACTIVE);
            // configurationPolicy = REQUIRE: nothing without a model path.
            Thread.sleep(300);
            assertThat(felix.context().getServiceReference(Generator.class)).isNull();

            Hashtable<String, Object> config = new Hashtable<>();
            config.put("modelPath", Stories260K.path().toAbsolutePath().toString());
            config.put("contextSize", 512);
            felix.configure(LlamaCppComponent.PID, config);
            long start = System.nanoTime();
            ServiceReference<Generator> reference = felix.awaitService(Generator.class, 30_000);
            System.out.printf("llama.cpp bundle: Generator registered %d ms after configuration%n",
                    (System.nanoTime() - start) / 1_000_000);

            assertThat(reference.getProperty("steadytext.model.name")).isEqualTo("stories260K");
            assertThat(reference.getProperty("steadytext.model.default")).isEqualTo(true);
            assertThat(reference.getProperty("steadytext.backend")).isEqualTo("llama.cpp");
            Generator generator = felix.context().getService(reference);
            assertThat(reference.getProperty("steadytext.model.fingerprint")).isEqualTo(generator.model().fingerprint());
            assertThat(generator.model().settings()).isEqualTo("n_ctx=512;n_batch=512;threads=2;parallel=1;sampler=greedy");
            Generation generation = generator.generate(GenerationRequest.of("Once upon a time", 20, 42, "[EOS]"));
            assertThat(generation.text().strip()).startsWith(", there was a little girl named Lily");

            // The native library went to the bundle's private data area, not to the shared temp directory.
            Path nativeDir = bundle.getDataFile("native").toPath();
            assertThat(nativeDir.resolve("lib").resolve("libjllama.so")).isRegularFile();
            assertThat(Files.list(nativeDir.resolve("tmp")).count()).isZero();

            felix.context().ungetService(reference);
            bundle.stop();
            assertThat(felix.context().getServiceReference(Generator.class)).isNull();
        }
    }
}
