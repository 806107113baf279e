package dev.steadytext.backend.onnx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadytext.backend.support.FileDigests;
import dev.steadytext.backend.support.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedder with the real ONNX Runtime and the bundled all-MiniLM-L6-v2, extracted from the packaged jar. */
class OnnxEmbedderIT {

    private static OrtNativeLibrary library;
    private static BundledModel bundled;
    private static OnnxEmbedder embedder;
    private static FileDigests digests;

    @BeforeAll
    static void load() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "it-data", "onnx"));
        // A fresh stamp: the jar under test may differ from the one a previous run extracted from.
        digests = FileDigests.open(dir.resolve("digests.properties"));
        ResourceFiles resources = new ResourceFiles(digests, String.valueOf(System.nanoTime()));
        library = OrtNativeLibrary.prepare(dir.resolve("native"), resources);
        bundled = BundledModel.extract(dir.resolve("model"), resources);
        long start = System.nanoTime();
        embedder = OnnxEmbedder.load(settings(32), library, digests);
        System.out.printf("all-MiniLM-L6-v2: loaded and self-checked in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    @AfterAll
    static void close() {
        if (embedder != null) {
            embedder.close();
        }
    }

    private static OnnxSettings settings(int maxBatchSize) {
        return new OnnxSettings(bundled.model(), bundled.tokenizer(), BundledModel.NAME, 2, maxBatchSize);
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        return dot;
    }

    @Test
    void embed_gives384DimensionalUnitVectors() {
        List<float[]> vectors = embedder.embed(List.of("hello world", "", "Ünïcödé — 中文 😀"));
        assertThat(vectors).hasSize(3).allSatisfy(v -> {
            assertThat(v).hasSize(384);
            assertThat(norm(v)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        });
        assertThat(embedder.model().dimension()).isEqualTo(384);
    }

    @Test
    void tokenize_helloWorld_isTheKnownIds() {
        assertThat(embedder.tokenize("hello world")).containsExactly(101, 7592, 2088, 102);
    }

    @Test
    void embed_vectorIsBitIdenticalAloneAndInsideAMixedBatchOf32() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            texts.add(i % 3 == 0
                    ? ("Sentence " + i + " talks at length about caching, determinism and databases. ").repeat(20)
                    : "short text number " + i);
        }
        assertThat(embedder.tokenize(texts.get(0))).hasSize(256);
        Collections.shuffle(texts, new java.util.Random(7));
        List<float[]> batch = embedder.embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            float[] alone = embedder.embed(List.of(texts.get(i))).get(0);
            assertThat(batch.get(i)).as("text %d", i).isEqualTo(alone);
        }
    }

    @Test
    void embed_similarSentencesAreCloserThanUnrelatedOnes() {
        List<float[]> v = embedder.embed(List.of("A cat sits on the mat.", "A kitten is sitting on a rug.",
                "Quarterly revenue grew by four percent."));
        assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(cosine(v.get(0), v.get(2)) + 0.2);
    }

    @Test
    void embed_moreThanMaxBatchSize_isRejectedNamingTexts() {
        assertThatThrownBy(() -> embedder.embed(Collections.nCopies(33, "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("texts");
    }

    @Test
    void fingerprint_isStableAcrossLoadsAndNamesTheSettings() throws Exception {
        assertThat(embedder.model().settings())
                .startsWith("pooling=mean;normalize=l2;max_seq_len=256;intra_op_threads=2;tokenizer_sha256=");
        assertThat(embedder.model().backendVersion()).startsWith("onnxruntime 1.22.0 ").endsWith("tokenizer=wordpiece-java/1");
        assertThat(embedder.model().modelSha256()).isEqualTo(Sha256.of(MiniLmFiles.model()));
        try (OnnxEmbedder again = OnnxEmbedder.load(settings(8), library, digests)) {
            assertThat(again.model().fingerprint()).isEqualTo(embedder.model().fingerprint());
            assertThat(again.embed(List.of("hello world")).get(0)).isEqualTo(embedder.embed(List.of("hello world")).get(0));
        }
    }

    @Test
    void throughput_isPrinted() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            texts.add("The quick brown fox " + i + " jumps over the lazy dog.");
        }
        for (int warm = 0; warm < 3; warm++) {
            embedder.embed(texts);
        }
        int rounds = 8;
        long start = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            for (String text : texts) {
                embedder.embed(List.of(text));
            }
        }
        double single = rounds * 32 / ((System.nanoTime() - start) / 1e9);
        start = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            embedder.embed(texts);
        }
        double batched = rounds * 32 / ((System.nanoTime() - start) / 1e9);
        String longText = "Long texts cost attention time quadratic in their length, so measure them too. ".repeat(20);
        List<String> longTexts = Collections.nCopies(32, longText);
        start = System.nanoTime();
        embedder.embed(longTexts);
        double longBatched = 32 / ((System.nanoTime() - start) / 1e9);
        System.out.printf("all-MiniLM-L6-v2, 2 threads: %.0f embeddings/s at batch 1, %.0f/s at batch 32 (short),"
                + " %.0f/s at batch 32 (256 tokens)%n", single, batched, longBatched);
        assertThat(single).isPositive();
    }
}
