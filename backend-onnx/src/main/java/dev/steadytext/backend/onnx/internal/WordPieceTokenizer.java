package dev.steadytext.backend.onnx.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.ToNumberPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A BERT WordPiece tokenizer read from a Hugging Face {@code tokenizer.json}, giving the same ids as the Hugging Face
 * {@code tokenizers} library for {@code BertNormalizer} + {@code BertPreTokenizer} + {@code WordPiece} models.
 *
 * <p>Why not the library itself (through DJL): it brings a third native library, needs the thread context class loader
 * set during its first call inside OSGi, writes to the home directory unless told otherwise, and pulls JNA, SLF4J and
 * commons-compress into the bundle. This class is ~250 lines of Java whose output is pinned to the library's
 * by {@code TokenizerParityIT} on a varied corpus.
 *
 * <p>The pipeline, as in {@code tokenizers} (Rust):
 * <ol>
 *   <li>Added tokens ({@code [CLS]}, {@code [SEP]}, ...) are split out of the raw text first, leftmost-longest.</li>
 *   <li>{@code BertNormalizer}: clean text (drop NUL, U+FFFD and control/format/unassigned/private-use characters; map
 *       white space to ' '), pad CJK ideographs with spaces, strip accents (NFD, drop non-spacing marks) when
 *       lowercasing, lowercase each code point.</li>
 *   <li>{@code BertPreTokenizer}: split on white space (removed) and punctuation (kept as single-character words).</li>
 *   <li>{@code WordPiece}: greedy longest match from the left, continuations prefixed with {@code ##}; a word longer
 *       than {@code max_input_chars_per_word} or with any unmatched part becomes {@code [UNK]}.</li>
 *   <li>{@code [CLS]} ... {@code [SEP]} around the result, truncated on the right to a maximum length.</li>
 * </ol>
 */
final class WordPieceTokenizer {

    /**
     * Reads a document into plain maps (in document order), lists, strings, booleans and numbers: {@link Long} when
     * integral, {@link Double} otherwise. Strict: Gson is lenient by default (comments, unquoted names, NaN), and a
     * file that is not standard JSON is not one the {@code tokenizers} library reads either.
     */
    private static final Gson JSON = new GsonBuilder()
            .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
            .setStrictness(Strictness.STRICT)
            .create();

    private final Map<String, Integer> vocab;
    private final List<Map.Entry<String, Integer>> addedTokens;
    private final String prefix;
    private final int maxInputCharsPerWord;
    private final int unkId;
    private final int clsId;
    private final int sepId;
    private final boolean cleanText;
    private final boolean handleChineseChars;
    private final boolean stripAccents;
    private final boolean lowercase;

    private WordPieceTokenizer(Map<String, Integer> vocab, List<Map.Entry<String, Integer>> addedTokens, String prefix,
            int maxInputCharsPerWord, String unkToken, boolean cleanText, boolean handleChineseChars,
            boolean stripAccents, boolean lowercase) {
        this.vocab = vocab;
        this.addedTokens = addedTokens;
        this.prefix = prefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
        this.unkId = id(unkToken);
        this.clsId = id("[CLS]");
        this.sepId = id("[SEP]");
        this.cleanText = cleanText;
        this.handleChineseChars = handleChineseChars;
        this.stripAccents = stripAccents;
        this.lowercase = lowercase;
    }

    /** Reads a {@code tokenizer.json}; refuses configurations this class does not reproduce exactly. */
    static WordPieceTokenizer load(Path tokenizerJson) throws IOException {
        String text = Files.readString(tokenizerJson, StandardCharsets.UTF_8);
        try {
            return parse(text);
        } catch (JsonParseException | IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new IOException("tokenizer " + tokenizerJson + " is not a BERT WordPiece tokenizer.json this backend"
                    + " supports (" + e.getMessage() + "); set tokenizerPath to the model's tokenizer.json", e);
        }
    }

    @SuppressWarnings("unchecked")
    static WordPieceTokenizer parse(String tokenizerJson) {
        Map<String, Object> root = (Map<String, Object>) JSON.fromJson(tokenizerJson, Object.class);
        Map<String, Object> model = (Map<String, Object>) root.get("model");
        require("model.type", model.get("type"), "WordPiece");
        Map<String, Object> normalizer = (Map<String, Object>) root.get("normalizer");
        require("normalizer.type", normalizer.get("type"), "BertNormalizer");
        Map<String, Object> preTokenizer = (Map<String, Object>) root.get("pre_tokenizer");
        require("pre_tokenizer.type", preTokenizer.get("type"), "BertPreTokenizer");

        Map<String, Integer> vocab = new HashMap<>();
        ((Map<String, Object>) model.get("vocab")).forEach((token, id) -> vocab.put(token, ((Long) id).intValue()));
        List<Map.Entry<String, Integer>> added = new ArrayList<>();
        for (Object o : (List<Object>) root.getOrDefault("added_tokens", List.of())) {
            Map<String, Object> token = (Map<String, Object>) o;
            if (Boolean.TRUE.equals(token.get("normalized")) || Boolean.TRUE.equals(token.get("single_word"))
                    || Boolean.TRUE.equals(token.get("lstrip")) || Boolean.TRUE.equals(token.get("rstrip"))) {
                throw new IllegalArgumentException("added token " + token.get("content")
                        + " uses normalized/single_word/lstrip/rstrip, which is not supported");
            }
            added.add(Map.entry((String) token.get("content"), ((Long) token.get("id")).intValue()));
        }
        // Longest first, so that a scan picks the longest token starting at a position.
        added.sort(Comparator.comparingInt((Map.Entry<String, Integer> e) -> e.getKey().length()).reversed());

        boolean lowercase = (Boolean) normalizer.get("lowercase");
        Object strip = normalizer.get("strip_accents");
        return new WordPieceTokenizer(vocab, List.copyOf(added), (String) model.get("continuing_subword_prefix"),
                ((Long) model.get("max_input_chars_per_word")).intValue(), (String) model.get("unk_token"),
                (Boolean) normalizer.get("clean_text"), (Boolean) normalizer.get("handle_chinese_chars"),
                strip == null ? lowercase : (Boolean) strip, lowercase);
    }

    private static void require(String field, Object actual, String expected) {
        if (!expected.equals(actual)) {
            throw new IllegalArgumentException(field + " is " + actual + ", expected " + expected);
        }
    }

    private int id(String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException("vocabulary has no " + token);
        }
        return id;
    }

    /** Token ids of one text: {@code [CLS]}, at most {@code maxLength - 2} word pieces, {@code [SEP]}. */
    int[] encode(String text, int maxLength) {
        List<Integer> ids = new ArrayList<>();
        ids.add(clsId);
        int limit = maxLength - 1;
        int start = 0;
        while (start <= text.length() && ids.size() < limit) {
            int[] match = nextAddedToken(text, start);
            int end = match == null ? text.length() : match[0];
            wordPieces(text.substring(start, end), ids, limit);
            if (match == null) {
                break;
            }
            if (ids.size() < limit) {
                ids.add(match[2]);
            }
            start = match[1];
        }
        ids.add(sepId);
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The leftmost added token at or after {@code from}, longest at that position: {start, end, id}; or null. */
    private int[] nextAddedToken(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            for (Map.Entry<String, Integer> token : addedTokens) {
                if (text.startsWith(token.getKey(), i)) {
                    return new int[] {i, i + token.getKey().length(), token.getValue()};
                }
            }
        }
        return null;
    }

    private void wordPieces(String segment, List<Integer> ids, int limit) {
        for (String word : preTokenize(normalize(segment))) {
            if (ids.size() >= limit) {
                return;
            }
            for (int id : wordPiece(word)) {
                if (ids.size() >= limit) {
                    return;
                }
                ids.add(id);
            }
        }
    }

    String normalize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (cleanText && (c == 0 || c == 0xFFFD || isControl(c))) {
                return;
            }
            if (cleanText && isWhitespace(c)) {
                out.append(' ');
            } else if (handleChineseChars && isChinese(c)) {
                out.append(' ').appendCodePoint(c).append(' ');
            } else {
                out.appendCodePoint(c);
            }
        });
        String s = out.toString();
        if (stripAccents) {
            StringBuilder stripped = new StringBuilder(s.length());
            Normalizer.normalize(s, Normalizer.Form.NFD).codePoints()
                    .filter(c -> Character.getType(c) != Character.NON_SPACING_MARK)
                    .forEach(stripped::appendCodePoint);
            s = stripped.toString();
        }
        if (lowercase) {
            StringBuilder lower = new StringBuilder(s.length());
            // Per code point, as Rust's char::to_lowercase: no final-sigma rule, and İ becomes "i̇".
            s.codePoints().forEach(c -> {
                if (c == 0x130) {
                    lower.append("i\u0307");
                } else {
                    lower.appendCodePoint(Character.toLowerCase(c));
                }
            });
            s = lower.toString();
        }
        return s;
    }

    static List<String> preTokenize(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (isWhitespace(c)) {
                flush(word, words);
            } else if (isPunctuation(c)) {
                flush(word, words);
                words.add(Character.toString(c));
            } else {
                word.appendCodePoint(c);
            }
        });
        flush(word, words);
        return words;
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (!word.isEmpty()) {
            words.add(word.toString());
            word.setLength(0);
        }
    }

    private List<Integer> wordPiece(String word) {
        if (word.codePointCount(0, word.length()) > maxInputCharsPerWord) {
            return List.of(unkId);
        }
        List<Integer> pieces = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            Integer found = null;
            while (end > start) {
                String candidate = word.substring(start, end);
                if (start > 0) {
                    candidate = prefix + candidate;
                }
                found = vocab.get(candidate);
                if (found != null) {
                    break;
                }
                end = word.offsetByCodePoints(end, -1);
            }
            if (found == null) {
                return List.of(unkId);
            }
            pieces.add(found);
            start = end;
        }
        return pieces;
    }

    /** Unicode White_Space, as Rust's {@code char::is_whitespace}. */
    static boolean isWhitespace(int c) {
        return switch (c) {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> c >= 0x2000 && c <= 0x200A;
        };
    }

    /** Categories Cc, Cf, Cn, Co, Cs, except tab, newline and carriage return (which count as white space). */
    static boolean isControl(int c) {
        if (c == '\t' || c == '\n' || c == '\r') {
            return false;
        }
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE || type == Character.SURROGATE;
    }

    /** ASCII punctuation (which includes symbols such as $ and +) or a Unicode punctuation category. */
    static boolean isPunctuation(int c) {
        if (c < 0x80) {
            return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
        }
        return switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** The CJK Unified Ideograph blocks that BERT pads with spaces. */
    static boolean isChinese(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }
}
