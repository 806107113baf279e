package dev.steadytext.backend.onnx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadytext.api.model.ModelKind;
import dev.steadytext.backend.support.FileDigests;
import dev.steadytext.testkit.TinyOnnxModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cross-encoder backend with the real ONNX Runtime. No real cross-encoder is available offline, so it runs a tiny
 * hand-written model with a cross-encoder's inputs and output ({@link TinyOnnxModel}), whose scores are exact to
 * predict; the bundled all-MiniLM-L6-v2, which gives vectors and no logit, must be refused.
 */
class OnnxCrossEncoderIT {

    private static Path dir;
    private static OrtNativeLibrary library;
    private static FileDigests digests;
    private static Path tiny;

    @BeforeAll
    static void prepare() throws Exception {
        dir = Files.createDirectories(Path.of("target", "it-data", "onnx-crossencoder"));
        digests = FileDigests.open(dir.resolve("digests.properties"));
        library = OrtNativeLibrary.prepare(dir.resolve("native"),
                new ResourceFiles(digests, String.valueOf(System.nanoTime())));
        tiny = TinyOnnxModel.write(dir.resolve("tiny-cross-encoder.onnx"));
    }

    private static CrossEncoderSettings settings(Path model, int maxBatchSize, int maxSequenceLength) {
        return new CrossEncoderSettings(model, MiniLmFiles.tokenizer(), "tiny", 2, maxBatchSize, maxSequenceLength);
    }

    /** The score the tiny model gives a pair: the logistic function of 0.01 * (ids + types), in float as ORT adds. */
    private static double expected(WordPieceTokenizer tokenizer, String query, String document, int maxLength) {
        PairEncoding pair = PairEncoding.of(tokenizer, query, document, maxLength);
        long sum = 0;
        for (int t = 0; t < pair.ids().length; t++) {
            sum += pair.ids()[t] + pair.typeIds()[t];
        }
        float logit = (float) sum * TinyOnnxModel.SCALE;
        return 1.0 / (1.0 + Math.exp(-(double) logit));
    }

    @Test
    void score_isTheLogisticOfTheModelsLogit_perPairInDocumentOrder() throws Exception {
        WordPieceTokenizer tokenizer = WordPieceTokenizer.load(MiniLmFiles.tokenizer());
        List<String> documents = List.of("a cat", "the stock market fell today", "a cat", "dogs");
        try (OnnxCrossEncoder encoder = OnnxCrossEncoder.load(settings(tiny, 2, 512), library, digests)) {
            double[] scores = encoder.score("which pet", documents, "any task");

            for (int i = 0; i < documents.size(); i++) {
                assertThat(scores[i]).as(documents.get(i))
                        .isEqualTo(expected(tokenizer, "which pet", documents.get(i), 512));
            }
            assertThat(scores[2]).isEqualTo(scores[0]);
            assertThat(encoder.model().kind()).isEqualTo(ModelKind.RERANKING);
            assertThat(encoder.model().settings()).startsWith("cross_encoder;max_seq_len=512;");
        }
    }

    @Test
    void score_ofAPair_doesNotDependOnItsBatch_andLongPairsAreTruncated() throws Exception {
        WordPieceTokenizer tokenizer = WordPieceTokenizer.load(MiniLmFiles.tokenizer());
        String longDocument = "padding must never change a score ".repeat(40);
        try (OnnxCrossEncoder encoder = OnnxCrossEncoder.load(settings(tiny, 8, 64), library, digests)) {
            double alone = encoder.score("q", List.of("short one"), "")[0];
            double[] batch = encoder.score("q", List.of(longDocument, "short one", "x"), "");

            assertThat(batch[1]).isEqualTo(alone);
            assertThat(batch[0]).isEqualTo(expected(tokenizer, "q", longDocument, 64));
        }
    }

    @Test
    void load_anEmbeddingModel_isRefusedAsNotACrossEncoder() {
        assertThatThrownBy(() -> OnnxCrossEncoder.load(settings(MiniLmFiles.model(), 8, 512), library, digests))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("all-minilm-l6-v2.onnx is not a cross-encoder")
                .hasMessageContaining("last_hidden_state has shape [-1, -1, 384]");
    }

    @Test
    void score_emptyQuery_isRejected() throws Exception {
        try (OnnxCrossEncoder encoder = OnnxCrossEncoder.load(settings(tiny, 2, 512), library, digests)) {
            assertThatThrownBy(() -> encoder.score("", List.of("d"), "")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("query");
        }
    }
}
