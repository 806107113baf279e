package dev.steadytext.backend.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.api.generate.Generation;
import dev.steadytext.api.generate.GenerationRequest;
import dev.steadytext.api.generate.Generator;
import dev.steadytext.testkit.FelixRuntime;
import dev.steadytext.testkit.SevereLogRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;





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

    /**
     * Stopping the bundle while the model still loads waits for the loader: no crash, nothing logged as SEVERE, no
     * service and no loader thread left; the bundle still serves afterwards, and a framework stopped mid-load is just as
     * clean.
     */
    @Test
    void bundle_stoppedWhileTheModelLoads_waitsForTheLoader_andLeavesNothingBehind(@TempDir Path storage)
            throws Exception {
        SevereLogRecords severe = SevereLogRecords.capture();
        try {
            try (FelixRuntime felix = FelixRuntime.start(storage)) {
                Bundle bundle = felix.bundle("dev.steadytext.backend.llamacpp");
                Hashtable<String, Object> config = new Hashtable<>();
                config.put("modelPath", Stories260K.path().toAbsolutePath().toString());
                config.put("contextSize", 512);
                felix.configure(LlamaCppComponent.PID, config);
                // ConfigAdmin delivers the configuration asynchronously: wait for the first activation's loader.
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!loaderAlive() && felix.context().getServiceReference(Generator.class) == null
                        && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                List<String> stoppedWhileLoading = new ArrayList<>();
                boolean started = true;
                for (int delay : new int[] {0, 0, 50, 200, 500, 1000, 50, 200}) {
                    if (!started) {
                        bundle.start();
                    }
                    started = false;
                    Thread.sleep(delay);
                    boolean loading = loaderAlive();
                    long stop = System.nanoTime();
                    bundle.stop();
                    System.out.printf("llama.cpp bundle: stopped %d ms after start (%s) in %d ms%n", delay,
                            loading ? "while loading" : "loaded", (System.nanoTime() - stop) / 1_000_000);
                    if (loading) {
                        stoppedWhileLoading.add(delay + " ms");
                    }
                    assertThat(loaderAlive()).as("loader thread after stop (%d ms)", delay).isFalse();
                    assertThat(felix.context().getServiceReference(Generator.class)).isNull();
                    assertThat(severe.messages()).as("SEVERE log records").isEmpty();
                }
                assertThat(stoppedWhileLoading).as("stops that caught a load in progress").isNotEmpty();

                bundle.start();
                ServiceReference<Generator> reference = felix.awaitService(Generator.class, 30_000);
                Generator generator = felix.context().getService(reference);
                Generation generation = generator.generate(GenerationRequest.of("Once upon a time", 8, 42, "[EOS]"));
                assertThat(generation.text()).isNotBlank();
                felix.context().ungetService(reference);
                bundle.stop();
                assertThat(felix.context().getServiceReference(Generator.class)).isNull();

                // Last: the whole framework stops mid-load, taking the bundle's jar and class loader with it.
                bundle.start();
                Thread.sleep(300);
            }
            assertThat(loaderAlive()).as("loader thread after the framework stopped").isFalse();
        } finally {
            severe.close();
        }
        assertThat(severe.messages()).isEmpty();
    }

    private static boolean loaderAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("steadytext-llamacpp-load") && t.isAlive());
    }
}
