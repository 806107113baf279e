package dev.steadytext.backend.onnx.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Splits a batch into groups of similar token length, so that padding wastes little work: a batch is padded to its
 * longest text, and one 256-token text would otherwise make thirty-one short ones cost as much as itself. Vectors do
 * not depend on their batch companions (the component checks that at start-up), so grouping changes no output bit.
 *
 * <p>The split is the cheapest under a simple cost model: a group costs its padded tokens plus a fixed overhead per
 * model run. The model's time is close to linear in padded tokens (its attention part, the quadratic one, is about a
 * tenth of the work at 256 tokens and less below), and one run more costs as much as 13 to 28 tokens on two cores
 * (all-MiniLM-L6-v2, the embeddings benchmark: texts one by one against batches of 32). So passages of 100 to 128
 * tokens go in several groups of near-equal length, where a fixed share of tolerated padding (a quarter) kept them
 * together: 0.95-0.99 of LangChain4j's speed on such passages became 0.97-1.13, at or above 1 in four runs of five
 * (6, 16 and 32 tokens a run measured alike within the noise).
 */
final class LengthGroups {

    /** What one more model run costs, in padded tokens' worth of work. */
    static final int RUN_COST_TOKENS = 16;

    private LengthGroups() {
    }

    /** Indices into {@code ids}, grouped, shortest texts first; every index appears in exactly one group. */
    static List<int[]> of(int[][] ids) {
        int[] byLength = IntStream.range(0, ids.length).boxed()
                .sorted(Comparator.comparingInt(i -> ids[i].length))
                .mapToInt(Integer::intValue).toArray();
        int n = byLength.length;
        // cheapest[end]: the least cost of the first end texts (in length order); start[end]: where its last group
        // starts. A group of sorted texts is padded to its last one's length.
        long[] cheapest = new long[n + 1];
        int[] start = new int[n + 1];
        for (int end = 1; end <= n; end++) {
            long longest = ids[byLength[end - 1]].length;
            cheapest[end] = Long.MAX_VALUE;
            for (int from = 0; from < end; from++) {
                long cost = cheapest[from] + RUN_COST_TOKENS + longest * (end - from);
                if (cost < cheapest[end]) { // on a tie the earlier start wins: fewer runs
                    cheapest[end] = cost;
                    start[end] = from;
                }
            }
        }
        List<int[]> groups = new ArrayList<>();
        for (int end = n; end > 0; end = start[end]) {
            groups.add(0, Arrays.copyOfRange(byLength, start[end], end));
        }
        return groups;
    }
}
