package dev.steadytext.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A tiny BERT cross-encoder written as GGUF by hand, laid out as llama.cpp's converter lays out BERT rerankers (the
 * ms-marco MiniLM cross-encoders; bge-reranker is the same graph with another tokenizer): no reranker can be
 * downloaded here, and this one is small enough (26,000 parameters, 108 KB) to write in every test run.
 *
 * <p>The model: architecture {@code bert} with rank pooling ({@code bert.pooling_type = 4}), 2 layers of 2-head
 * non-causal attention over a hidden size of 32, a feed-forward size of 64, 128 positions, and the classification
 * head {@code cls} (dense + tanh) and {@code cls.output} (one logit). Its WordPiece vocabulary ({@code
 * tokenizer.ggml.model = "bert"}) has [PAD] [UNK] [CLS] [SEP] [MASK], every lower-case letter as a word start and as
 * a continuation, the digits, some punctuation, some words and suffixes; so English text tokenizes without [UNK],
 * the words it lacks letter by letter (llama.cpp lower-cases it first). The weights are seeded pseudo-random numbers: the scores mean nothing, but they depend on every
 * token of the pair, and the same file always gives the same bytes.
 *
 * <p>What llama.cpp (the build in java-llama.cpp 4.2.0) needs, from its loader: the bert hyperparameters, including
 * {@code attention.causal} and {@code layer_norm_epsilon}; {@code tokenizer.ggml.token_type_count} for the size of
 * {@code token_types}; exactly the tensors it creates for {@code bert} (an extra one fails the load), in F32 with the
 * shapes below; and BOS and EOS token ids, without which it refuses to load a model for reranking. WordPiece has no
 * EOS by default, so [SEP] is declared as EOS, and its rerank sequence is {@code BOS [CLS] query [SEP] EOS SEP [CLS]
 * document [SEP] EOS}.
 */
public final class TinyGgufReranker {

    /** A query and documents, and the scores the bundled llama.cpp gives them, measured. */
    public static final String QUERY = "where is the cat?";
    public static final List<String> DOCUMENTS = List.of("the cat sat on the mat", "paris is the capital of france",
            "a red bird");
    /**
     * As measured: bitwise identical across JVMs and thread counts on one machine (which the tests assert bit for
     * bit between calls and loads). Compared within {@link #SCORE_TOLERANCE} to these values, because another CPU
     * may round llama.cpp's kernels differently (why the instruction set is part of the backend version, and so of
     * every cache key); a change beyond it means the model, the library or the prompt changed.
     */
    private static final double[] SCORES = {0.4063546185071488, 0.6943496418385574, 0.3318653045216425};
    /** How far another machine's scores may be from {@link #expectedScores()}. */
    public static final double SCORE_TOLERANCE = 1e-6;

    public static final int CONTEXT_LENGTH = 128;
    private static final int HIDDEN = 32;
    private static final int HEADS = 2;
    private static final int LAYERS = 2;
    private static final int FEED_FORWARD = 64;
    private static final int TOKEN_TYPES = 2;
    /** llama.cpp's {@code LLAMA_POOLING_TYPE_RANK}. */
    private static final int POOLING_RANK = 4;

    private static final int PAD = 0;
    private static final int UNK = 1;
    private static final int CLS = 2;
    private static final int SEP = 3;
    private static final int MASK = 4;
    /** A word start carries a phantom space, as llama.cpp's converter writes WordPiece vocabularies. */
    private static final String WORD_START = "\u2581";
    private static final String[] WORDS = {"the", "cat", "dog", "sat", "on", "mat", "what", "is", "where", "who",
        "sun", "moon", "sea", "river", "tree", "bird", "fish", "red", "blue", "green", "city", "paris", "capital", "of",
        "france", "llama", "model"};
    private static final String[] SUFFIXES = {"ing", "ed", "er", "ly", "es"};
    private static final String PUNCTUATION = ".,?!:;'-";

    /** Which of the file's parts to leave out, for files llama.cpp must be kept from. */
    public enum Variant {
        /** The whole model. */
        COMPLETE,
        /** No dense layer ({@code cls.weight}, {@code cls.bias}): the head is {@code cls.output} alone. */
        WITHOUT_DENSE_HEAD,
        /** No {@code tokenizer.ggml.eos_token_id}: WordPiece's default, which this llama.cpp cannot rerank with. */
        WITHOUT_EOS
    }

    private TinyGgufReranker() {}

    /** The scores of {@link #DOCUMENTS} for {@link #QUERY}, in their order (see {@link #SCORE_TOLERANCE}). */
    public static double[] expectedScores() {
        return SCORES.clone();
    }

    /** Writes the complete model to {@code file}. */
    public static Path write(Path file) throws IOException {
        return write(file, Variant.COMPLETE);
    }

    public static Path write(Path file, Variant variant) throws IOException {
        List<String> vocabulary = vocabulary();
        Gguf gguf = new Gguf();
        gguf.string("general.architecture", "bert");
        gguf.string("general.name", "tiny-gguf-reranker");
        gguf.u32("bert.context_length", CONTEXT_LENGTH);
        gguf.u32("bert.embedding_length", HIDDEN);
        gguf.u32("bert.block_count", LAYERS);
        gguf.u32("bert.feed_forward_length", FEED_FORWARD);
        gguf.u32("bert.attention.head_count", HEADS);
        gguf.f32("bert.attention.layer_norm_epsilon", 1e-12f);
        gguf.bool("bert.attention.causal", false);
        gguf.u32("bert.pooling_type", POOLING_RANK);
        gguf.string("tokenizer.ggml.model", "bert");
        gguf.strings("tokenizer.ggml.tokens", vocabulary);
        gguf.tokenTypes("tokenizer.ggml.token_type", vocabulary.size());
        gguf.u32("tokenizer.ggml.token_type_count", TOKEN_TYPES);
        gguf.u32("tokenizer.ggml.bos_token_id", CLS);
        if (variant != Variant.WITHOUT_EOS) {
            gguf.u32("tokenizer.ggml.eos_token_id", SEP);
        }
        gguf.u32("tokenizer.ggml.unknown_token_id", UNK);
        gguf.u32("tokenizer.ggml.seperator_token_id", SEP); // sic: llama.cpp's spelling of the key
        gguf.u32("tokenizer.ggml.padding_token_id", PAD);
        gguf.u32("tokenizer.ggml.cls_token_id", CLS);
        gguf.u32("tokenizer.ggml.mask_token_id", MASK);

        // Shapes in ggml order: the first dimension is the fastest (a row), the second counts the rows.
        gguf.tensor("token_embd.weight", Init.normal(0.5), HIDDEN, vocabulary.size());
        gguf.tensor("token_types.weight", Init.normal(0.1), HIDDEN, TOKEN_TYPES);
        gguf.tensor("position_embd.weight", Init.normal(0.1), HIDDEN, CONTEXT_LENGTH);
        gguf.tensor("token_embd_norm.weight", Init.around(1, 0.1), HIDDEN);
        gguf.tensor("token_embd_norm.bias", Init.normal(0.1), HIDDEN);
        double scale = 1 / Math.sqrt(HIDDEN);
        for (int layer = 0; layer < LAYERS; layer++) {
            String block = "blk." + layer + ".";
            for (String projection : List.of("attn_q", "attn_k", "attn_v", "attn_output")) {
                gguf.tensor(block + projection + ".weight", Init.normal(scale), HIDDEN, HIDDEN);
                gguf.tensor(block + projection + ".bias", Init.normal(0.1), HIDDEN);
            }
            gguf.tensor(block + "attn_output_norm.weight", Init.around(1, 0.1), HIDDEN);
            gguf.tensor(block + "attn_output_norm.bias", Init.normal(0.1), HIDDEN);
            gguf.tensor(block + "ffn_up.weight", Init.normal(scale), HIDDEN, FEED_FORWARD);
            gguf.tensor(block + "ffn_up.bias", Init.normal(0.1), FEED_FORWARD);
            gguf.tensor(block + "ffn_down.weight", Init.normal(1 / Math.sqrt(FEED_FORWARD)), FEED_FORWARD, HIDDEN);
            gguf.tensor(block + "ffn_down.bias", Init.normal(0.1), HIDDEN);
            gguf.tensor(block + "layer_output_norm.weight", Init.around(1, 0.1), HIDDEN);
            gguf.tensor(block + "layer_output_norm.bias", Init.normal(0.1), HIDDEN);
        }
        if (variant != Variant.WITHOUT_DENSE_HEAD) {
            gguf.tensor("cls.weight", Init.normal(scale * 2), HIDDEN, HIDDEN);
            gguf.tensor("cls.bias", Init.normal(0.1), HIDDEN);
        }
        gguf.tensor("cls.output.weight", Init.normal(0.5), HIDDEN, 1);
        gguf.tensor("cls.output.bias", Init.normal(0.1), 1);
        return Files.write(file, gguf.bytes());
    }

    /** The vocabulary; a token's id is its index. */
    private static List<String> vocabulary() {
        List<String> tokens = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        for (char letter = 'a'; letter <= 'z'; letter++) {
            tokens.add(WORD_START + letter);
            tokens.add(String.valueOf(letter));
        }
        for (char digit = '0'; digit <= '9'; digit++) {
            tokens.add(WORD_START + digit);
        }
        for (char mark : PUNCTUATION.toCharArray()) {
            tokens.add(WORD_START + mark);
        }
        for (String word : WORDS) {
            tokens.add(WORD_START + word);
        }
        tokens.addAll(List.of(SUFFIXES));
        return tokens;
    }

    /** How a tensor's values are drawn: normally distributed around {@code mean}. */
    private record Init(double mean, double deviation) {

        static Init normal(double deviation) {
            return new Init(0, deviation);
        }

        static Init around(double mean, double deviation) {
            return new Init(mean, deviation);
        }
    }

    /**
     * A GGUF v3 file, little-endian: magic, version, tensor count, metadata count, the metadata (key, type, value),
     * the tensor infos (name, dimension count, dimensions, type, offset into the data), padding to the alignment
     * (32, the default), then each tensor's data, padded to the alignment too.
     */
    private static final class Gguf {
        private static final int ALIGNMENT = 32;
        private static final int UINT32 = 4;
        private static final int INT32 = 5;
        private static final int FLOAT32 = 6;
        private static final int BOOL = 7;
        private static final int STRING = 8;
        private static final int ARRAY = 9;
        private static final int GGML_F32 = 0;

        private final Buffer metadata = new Buffer();
        private final Buffer infos = new Buffer();
        private final Buffer data = new Buffer();
        /** Seeded, and drawn in the order the tensors are written: the same file every time. */
        private final Random random = new Random(20_250_319L);
        private int keys;
        private int tensors;

        void u32(String key, long value) {
            metadata.string(key).u32(UINT32).u32(value);
            keys++;
        }

        void f32(String key, float value) {
            metadata.string(key).u32(FLOAT32).f32(value);
            keys++;
        }

        void bool(String key, boolean value) {
            metadata.string(key).u32(BOOL).u8(value ? 1 : 0);
            keys++;
        }

        void string(String key, String value) {
            metadata.string(key).u32(STRING).string(value);
            keys++;
        }

        void strings(String key, List<String> values) {
            metadata.string(key).u32(ARRAY).u32(STRING).u64(values.size());
            values.forEach(metadata::string);
            keys++;
        }

        /** llama.cpp's token types, int32: 3 (control) for the bracketed specials, 2 for [UNK], 1 (normal) else. */
        void tokenTypes(String key, int count) {
            metadata.string(key).u32(ARRAY).u32(INT32).u64(count);
            for (int id = 0; id < count; id++) {
                metadata.u32(id == UNK ? 2 : id <= MASK ? 3 : 1);
            }
            keys++;
        }

        /** An F32 tensor of the given ggml shape (the fastest dimension first), its values drawn by {@code init}. */
        void tensor(String name, Init init, long... shape) {
            long count = 1;
            infos.string(name).u32(shape.length);
            for (long dimension : shape) {
                infos.u64(dimension);
                count *= dimension;
            }
            infos.u32(GGML_F32).u64(data.size());
            for (int i = 0; i < count; i++) {
                data.f32((float) (init.mean() + init.deviation() * random.nextGaussian()));
            }
            data.pad(ALIGNMENT);
            tensors++;
        }

        byte[] bytes() {
            Buffer file = new Buffer();
            file.raw("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(3).u64(tensors).u64(keys);
            file.raw(metadata.toByteArray()).raw(infos.toByteArray()).pad(ALIGNMENT);
            return file.raw(data.toByteArray()).toByteArray();
        }
    }

    /** Little-endian writes. */
    private static final class Buffer extends ByteArrayOutputStream {

        Buffer raw(byte[] bytes) {
            writeBytes(bytes);
            return this;
        }

        Buffer u8(int value) {
            write(value);
            return this;
        }

        Buffer u32(long value) {
            return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array());
        }

        Buffer u64(long value) {
            return raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        }

        Buffer f32(float value) {
            return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array());
        }

        Buffer string(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            return u64(utf8.length).raw(utf8);
        }

        Buffer pad(int alignment) {
            while (size() % alignment != 0) {
                write(0);
            }
            return this;
        }
    }
}
