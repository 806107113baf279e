package dev.steadytext.backend.onnx.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Splits a batch into groups of similar token length, so that padding wastes little work: a batch is padded to its
 * longest text, and one 256-token text would otherwise make thirty-one short ones cost as much as itself. Vectors do
 * not depend on their batch companions (the component checks that at start-up), so grouping changes no output bit.
 */
final class LengthGroups {

    /** A group may spend at most this share of its work on padding. */
    private static final double MAX_PADDING_SHARE = 0.25;

    private LengthGroups() {
    }

    /** Indices into {@code ids}, grouped; every index appears in exactly one group. */
    static List<int[]> of(int[][] ids) {
        int[] byLength = IntStream.range(0, ids.length).boxed()
                .sorted(Comparator.comparingInt(i -> ids[i].length))
                .mapToInt(Integer::intValue).toArray();
        List<int[]> groups = new ArrayList<>();
        int start = 0;
        long tokens = 0;
        for (int k = 0; k < byLength.length; k++) {
            int length = ids[byLength[k]].length;
            long padded = (long) length * (k - start + 1);
            if (k > start && padded - (tokens + length) > MAX_PADDING_SHARE * padded) {
                groups.add(java.util.Arrays.copyOfRange(byLength, start, k));
                start = k;
                tokens = 0;
            }
            tokens += length;
        }
        groups.add(java.util.Arrays.copyOfRange(byLength, start, byLength.length));
        return groups;
    }
}
