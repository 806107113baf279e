package dev.steadytext.backend.onnx.internal;

import java.util.Arrays;

/**
 * A (query, document) pair as a BERT cross-encoder reads it: {@code [CLS] query [SEP] document [SEP]}, token type 0
 * for the first segment and 1 for the second, as the Hugging Face tokenizer encodes a text pair.
 *
 * <p>Truncation is the tokenizer's {@code longest_first}, which sentence-transformers' CrossEncoder asks for: when the
 * pair is longer than {@code maxLength}, the shorter text keeps its tokens if it fits in half the budget and the
 * longer one is cut to the rest; otherwise both are cut to half, the longer one getting an odd token. (Equal lengths:
 * the document counts as the longer.) Tokens are cut from the end.
 *
 * @param ids the token ids
 * @param typeIds the token type of each id
 */
record PairEncoding(int[] ids, int[] typeIds) {

    /** [CLS], [SEP] and [SEP]. */
    static final int SPECIAL_TOKENS = 3;

    static PairEncoding of(WordPieceTokenizer tokenizer, String query, String document, int maxLength) {
        if (maxLength <= SPECIAL_TOKENS) {
            throw new IllegalArgumentException("maxSequenceLength must be more than " + SPECIAL_TOKENS + ": " + maxLength);
        }
        int[] empty = tokenizer.encode("", maxLength); // [CLS] [SEP]
        int[] q = pieces(tokenizer, query);
        int[] d = pieces(tokenizer, document);
        int budget = maxLength - SPECIAL_TOKENS;
        if (q.length + d.length > budget) {
            boolean queryShorter = q.length <= d.length;
            int shorter = Math.min(q.length, d.length);
            int keepShorter = shorter <= budget / 2 ? shorter : budget / 2;
            int keepLonger = budget - keepShorter;
            q = Arrays.copyOf(q, queryShorter ? keepShorter : keepLonger);
            d = Arrays.copyOf(d, queryShorter ? keepLonger : keepShorter);
        }
        int[] ids = new int[q.length + d.length + SPECIAL_TOKENS];
        int[] types = new int[ids.length];
        ids[0] = empty[0];
        System.arraycopy(q, 0, ids, 1, q.length);
        ids[q.length + 1] = empty[1];
        System.arraycopy(d, 0, ids, q.length + 2, d.length);
        ids[ids.length - 1] = empty[1];
        Arrays.fill(types, q.length + 2, ids.length, 1);
        return new PairEncoding(ids, types);
    }

    /** A text's word pieces, without [CLS] and [SEP]. */
    private static int[] pieces(WordPieceTokenizer tokenizer, String text) {
        int[] encoded = tokenizer.encode(text, Integer.MAX_VALUE);
        return Arrays.copyOfRange(encoded, 1, encoded.length - 1);
    }
}
