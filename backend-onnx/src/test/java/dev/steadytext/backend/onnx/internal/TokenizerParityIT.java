package dev.steadytext.backend.onnx.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves that {@link WordPieceTokenizer} gives the Hugging Face {@code tokenizers} library's ids (through DJL) on a
 * varied corpus: the bundle ships our tokenizer, so any difference here would change embeddings.
 */
class TokenizerParityIT {

    private static HuggingFaceTokenizer reference;
    private static WordPieceTokenizer ours;

    @BeforeAll
    static void load() throws Exception {
        // DJL must neither write to the home directory nor try the network.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("DJL_CACHE_DIR", Files.createDirectories(Path.of("target", "djl-cache")).toAbsolutePath()
                .toString());
        reference = HuggingFaceTokenizer.builder()
                .optTokenizerPath(MiniLmFiles.tokenizer())
                .optAddSpecialTokens(true)
                .optTruncation(false)
                .optPadding(false)
                .build();
        ours = WordPieceTokenizer.load(MiniLmFiles.tokenizer());
    }

    @AfterAll
    static void close() {
        if (reference != null) {
            reference.close();
        }
    }

    static List<String> corpus() {
        List<String> texts = new ArrayList<>(List.of(
                "hello world",
                "Hello, World! How are you?",
                "",
                "   ",
                "\t\n\r  leading and trailing whitespace \u00A0\u2003\u3000 odd spaces\u2028line",
                "Café naïve résumé façade coöperate Ångström ÉCOLE",
                "Straße İstanbul ΣΊΣΥΦΟΣ ÆØÅ æøå Œuvre ǅ ß",
                "中文分词测试，这是一个句子。日本語のテキストです。한국어 텍스트",
                "Emoji 😀👍🏽 family 👨‍👩‍👧 flags 🇫🇷 and ✨ symbols ©®™ ∑∞≠",
                "Punctuation!?.,;:'\"()[]{}<>@#$%^&*-_=+|\\/~` and “smart” ‘quotes’ — dashes – … «guillemets»",
                "supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
                "x".repeat(100) + " " + "y".repeat(101),
                "control\u0000chars\u0007and\u200Bzero\u200Dwidth\uFEFFbom\uFFFDreplacement",
                "numbers 3.14159 1,000,000 2025-11-23 12:34:56 +49 (0) 30 1234567 0x1F 1e-9",
                "URLs https://example.com/path?q=1&r=2#frag and emails user.name+tag@example.co.uk",
                "code: for (int i = 0; i < n; i++) { sum += a[i]; } // comment",
                "[CLS] special [SEP] tokens [MASK] in [PAD] text [UNK] and [cls] lowercase",
                "Mixed Русский текст, العربية, עברית, हिन्दी, ไทย, Ελληνικά",
                "combining a\u0301 e\u0300 n\u0303 o\u0308 and precomposed á è ñ ö",
                "fullwidth ＡＢＣ１２３ and half-width ｶﾀｶﾅ, ligature ﬁ ﬂ",
                "tabs\tand\nnewlines\r\nwindows and mac\rendings",
                "The quick brown fox jumps over the lazy dog. ".repeat(40)));
        return texts;
    }

    @Test
    void encode_givesTheSameIdsAsHuggingFaceTokenizers() {
        for (String text : corpus()) {
            long[] expected = reference.encode(text).getIds();
            int[] actual = ours.encode(text, Integer.MAX_VALUE);
            assertThat(Arrays.stream(actual).asLongStream().toArray()).as("ids of [%s]", text).containsExactly(expected);
        }
    }

    @Test
    void encode_truncatedTo256_isTheReferencePrefixPlusSep() {
        String text = corpus().get(corpus().size() - 1);
        long[] full = reference.encode(text).getIds();
        assertThat(full.length).isGreaterThan(256);
        int[] ours256 = ours.encode(text, 256);
        long[] expected = Arrays.copyOf(full, 256);
        expected[255] = 102;
        assertThat(Arrays.stream(ours256).asLongStream().toArray()).containsExactly(expected);
    }
}
