package dev.steadytext.backend.onnx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PairEncodingTest {

    private static final int CLS = 101;
    private static final int SEP = 102;
    private static WordPieceTokenizer tokenizer;
    private static int x;

    @BeforeAll
    static void load() throws Exception {
        tokenizer = WordPieceTokenizer.load(MiniLmFiles.tokenizer());
        x = tokenizer.encode("x", 8)[1];
    }

    private static String words(int count) {
        return "x ".repeat(count);
    }

    /** How many word pieces of the query and of the document a pair kept. */
    private static int[] kept(PairEncoding pair) {
        int sep = 1;
        while (pair.ids()[sep] != SEP) {
            sep++;
        }
        return new int[] {sep - 1, pair.ids().length - sep - 2};
    }

    @Test
    void of_isClsQuerySepDocumentSep_withTypesZeroThenOne() {
        PairEncoding pair = PairEncoding.of(tokenizer, "hello world", "hello", 512);

        assertThat(pair.ids()).containsExactly(CLS, 7592, 2088, SEP, 7592, SEP);
        assertThat(pair.typeIds()).containsExactly(0, 0, 0, 0, 1, 1);
    }

    @Test
    void of_longDocument_isCutToWhatTheQueryLeaves() {
        PairEncoding pair = PairEncoding.of(tokenizer, words(3), words(100), 23);

        assertThat(kept(pair)).containsExactly(3, 17);
        assertThat(pair.ids()).hasSize(23).endsWith(x, SEP);
    }

    @Test
    void of_bothLong_areCutToHalves_theLongerGettingTheOddToken() {
        assertThat(kept(PairEncoding.of(tokenizer, words(30), words(40), 23))).containsExactly(10, 10);
        assertThat(kept(PairEncoding.of(tokenizer, words(40), words(30), 24))).containsExactly(11, 10);
        assertThat(kept(PairEncoding.of(tokenizer, words(30), words(30), 24))).as("equal: the document is longer")
                .containsExactly(10, 11);
        assertThat(kept(PairEncoding.of(tokenizer, words(10), words(40), 23))).as("the query fits in half")
                .containsExactly(10, 10);
    }

    @Test
    void of_aMaxLengthWithoutRoomForText_isRejected() {
        assertThatThrownBy(() -> PairEncoding.of(tokenizer, "q", "d", 3)).hasMessageContaining("maxSequenceLength");
    }

    @Test
    void settings_canonicalNamesWhatChangesAScore_andNamesDefaultToTheModelsDirectory() {
        CrossEncoderSettings settings = new CrossEncoderSettings(Path.of("m.onnx"), Path.of("t.json"), "m", 2, 16, 512);

        assertThat(settings.canonical("abcdef0123456789ffff")).isEqualTo("cross_encoder;max_seq_len=512;"
                + "truncation=longest_first;intra_op_threads=2;score=sigmoid;tokenizer_sha256=abcdef0123456789");
        assertThat(OnnxCrossEncoderComponent.defaultName(Path.of("models", "ms-marco-MiniLM-L-6-v2", "model.onnx")))
                .isEqualTo("ms-marco-MiniLM-L-6-v2");
        assertThat(OnnxCrossEncoderComponent.defaultName(Path.of("models", "bge-reranker.onnx"))).isEqualTo("bge-reranker");
        assertThatThrownBy(() -> new CrossEncoderSettings(Path.of("m"), Path.of("t"), "m", 2, 0, 512))
                .hasMessageContaining("maxBatchSize");
    }
}
