package dev.steadytext.backend.onnx.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.api.embed.Embedder;
import dev.steadytext.testkit.FelixRuntime;
import dev.steadytext.testkit.SevereLogRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;





import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/** The packaged bundle in a real Felix with SCR and ConfigAdmin: unconfigured, it serves the bundled model. */
class OnnxBundleIT {

    /**
     * Files inside {@code onnxruntime-java*} temp directories. ONNX Runtime 1.22 always creates one such directory per
     * class loader and deletes it at JVM exit; with {@code onnxruntime.native.path} set it stays empty.
     */
    private static long filesInOrtTempDirs() throws Exception {
        try (Stream<Path> dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            long count = 0;
            for (Path dir : dirs.filter(p -> p.getFileName().toString().startsWith("onnxruntime-java")).toList()) {
                try (Stream<Path> files = Files.list(dir)) {
                    count += files.count();
                }
            }
            return count;
        }
    }

    @Test
    void bundle_registersBundledEmbedderWithoutConfiguration_andUnregistersWhenStopped(@TempDir Path storage)
            throws Exception {
        long tempFilesBefore = filesInOrtTempDirs();
        try (FelixRuntime felix = FelixRuntime.start(storage)) {
            Bundle bundle = felix.bundle("dev.steadytext.backend.onnx");
            long start = System.nanoTime();
            ServiceReference<Embedder> reference = felix.awaitService(Embedder.class, 60_000);
            System.out.printf("onnx bundle: Embedder registered %d ms after start%n",
                    (System.nanoTime() - start) / 1_000_000);

            assertThat(reference.getProperty("steadytext.model.name")).isEqualTo("all-MiniLM-L6-v2");
            assertThat(reference.getProperty("steadytext.model.default")).isEqualTo(true);
            assertThat(reference.getProperty("steadytext.backend")).isEqualTo("onnxruntime");
            Embedder embedder = felix.context().getService(reference);
            assertThat(reference.getProperty("steadytext.model.fingerprint")).isEqualTo(embedder.model().fingerprint());
            assertThat(embedder.maxBatchSize()).isEqualTo(32);
            float[] vector = embedder.embed(List.of("hello world")).get(0);
            assertThat(vector).hasSize(384);

            // The libraries were loaded from the bundle's data area, not extracted to the shared temp directory.
            try (Stream<Path> libraries = Files.find(bundle.getDataFile("native").toPath(), 2,
                    (path, attributes) -> path.getFileName().toString().equals("libonnxruntime.so"))) {
                assertThat(libraries.toList()).as("libonnxruntime.so in the bundle's data area").hasSize(1);
            }
            assertThat(filesInOrtTempDirs()).as("files in onnxruntime-java* temp directories").isEqualTo(tempFilesBefore);
            felix.context().ungetService(reference);
            bundle.stop();
            assertThat(felix.context().getServiceReference(Embedder.class)).isNull();
        }
    }

    /**
     * Stopping the bundle while the model still loads (extracting, hashing, opening the ONNX session) waits for the
     * loader: no crash, nothing logged as SEVERE (an abandoned loader used to log "ZipFile closed" or die in
     * {@code OrtSession.createSession}), no service and no loader thread left. The bundle still serves afterwards, and a
     * framework stopped mid-load is just as clean.
     */
    @Test
    void bundle_stoppedWhileTheModelLoads_waitsForTheLoader_andLeavesNothingBehind(@TempDir Path storage)
            throws Exception {
        SevereLogRecords severe = SevereLogRecords.capture();
        try {
            try (FelixRuntime felix = FelixRuntime.start(storage)) {
                Bundle bundle = felix.bundle("dev.steadytext.backend.onnx");
                List<String> stoppedWhileLoading = new ArrayList<>();
                boolean started = true; // FelixRuntime starts it
                for (int delay : new int[] {0, 0, 50, 200, 400, 700, 1000, 50, 200}) {
                    if (!started) {
                        bundle.start();
                    }
                    started = false;
                    Thread.sleep(delay);
                    boolean loading = loaderAlive();
                    long stop = System.nanoTime();
                    bundle.stop();
                    System.out.printf("onnx bundle: stopped %d ms after start (%s) in %d ms%n", delay,
                            loading ? "while loading" : "loaded", (System.nanoTime() - stop) / 1_000_000);
                    if (loading) {
                        stoppedWhileLoading.add(delay + " ms");
                    }
                    assertThat(loaderAlive()).as("loader thread after stop (%d ms)", delay).isFalse();
                    assertThat(felix.context().getServiceReference(Embedder.class)).isNull();
                    assertThat(severe.messages()).as("SEVERE log records").isEmpty();
                }
                assertThat(stoppedWhileLoading).as("stops that caught a load in progress").isNotEmpty();

                bundle.start();
                ServiceReference<Embedder> reference = felix.awaitService(Embedder.class, 60_000);
                Embedder embedder = felix.context().getService(reference);
                assertThat(embedder.embed(List.of("hello world")).get(0)).hasSize(384);
                felix.context().ungetService(reference);
                bundle.stop();
                assertThat(felix.context().getServiceReference(Embedder.class)).isNull();

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
                .anyMatch(t -> t.getName().equals("steadytext-onnx-load") && t.isAlive());
    }
}
