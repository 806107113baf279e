package dev.steadytext.backend.onnx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordPieceTokenizerTest {

    private static WordPieceTokenizer tokenizer;

    @BeforeAll
    static void load() throws Exception {
        tokenizer = WordPieceTokenizer.load(MiniLmFiles.tokenizer());
    }

    @Test
    void encode_helloWorld_isTheKnownIds() {
        assertThat(tokenizer.encode("hello world", 256)).containsExactly(101, 7592, 2088, 102);
    }

    @Test
    void encode_lowercasesStripsAccentsAndSplitsPunctuation() {
        assertThat(tokenizer.encode("Héllo, WORLD!", 256)).containsExactly(101, 7592, 1010, 2088, 999, 102);
    }

    @Test
    void encode_emptyText_isClsSep() {
        assertThat(tokenizer.encode("", 256)).containsExactly(101, 102);
        assertThat(tokenizer.encode(" \t\n ", 256)).containsExactly(101, 102);
    }

    @Test
    void encode_truncatesToMaxLengthKeepingSep() {
        int[] ids = tokenizer.encode("word ".repeat(1000), 256);
        assertThat(ids).hasSize(256);
        assertThat(ids[0]).isEqualTo(101);
        assertThat(ids[255]).isEqualTo(102);
    }

    @Test
    void encode_specialTokenInText_isMatchedBeforeNormalisation() {
        assertThat(tokenizer.encode("a [SEP] b", 256)).containsExactly(101, 1037, 102, 1038, 102);
    }

    @Test
    void encode_wordLongerThanLimit_isUnknown() {
        assertThat(tokenizer.encode("a".repeat(101), 256)).containsExactly(101, 100, 102);
    }

    @Test
    void normalize_padsCjkAndDropsControlCharacters() {
        assertThat(tokenizer.normalize("中文\u0000x\u200Dy")).isEqualTo(" 中  文 xy");
    }

    @Test
    void load_malformedJson_isAnIOExceptionNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {}} x");
        assertThatThrownBy(() -> WordPieceTokenizer.load(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not a BERT WordPiece tokenizer.json");
    }

    @Test
    void parse_rejectsWhatOnlyLenientJsonAllows() {
        // Gson's default (lenient) mode would skip the comment and fail later, on the missing model type, instead.
        assertThatThrownBy(() -> WordPieceTokenizer.parse("{/* c */ \"model\": {}}"))
                .isInstanceOf(JsonParseException.class);
    }
}
