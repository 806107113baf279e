package dev.steadytext.benchmarks;

import dev.steadytext.benchmarks.Result.Goal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Figure "stream": how soon {@code steadytext_generate_stream} shows text, against how long the same answer takes as
 * one {@code steadytext_generate} call, and what streaming costs in total time. Both run the same fresh requests
 * ({@code use_cache => false}, so the worker computes every one), taking turns request by request; the stream is read
 * the way a client shows text as it arrives: a cursor, one row per fetch.
 *
 * <p>It runs in the platform group, with stories260K:
 * {@code java --enable-native-access=ALL-UNNAMED -jar benchmarks/target/steadytext-benchmarks.jar stream}.
 */
final class StreamBenchmark {

    private static final int MAX_TOKENS = 256;
    private static final List<String> PROMPTS = List.of("Once upon a time", "The little dog", "Lily went to the park",
            "A big red ball", "Tom and his friend", "One day, a bird", "The sun was shining", "Mom said");
    private static final int MAX_ROUNDS = 10_000;

    private final GroupContext context;

    StreamBenchmark(GroupContext context) {
        this.context = context;
    }

    void run() throws SQLException {
        Latencies firstRow = new Latencies(MAX_ROUNDS);
        Latencies streamed = new Latencies(MAX_ROUNDS);
        Latencies plain = new Latencies(MAX_ROUNDS);
        long rows = 0;
        try (Connection streaming = context.connect(); Connection calling = context.connect();
                PreparedStatement stream = streaming.prepareStatement(
                        "SELECT * FROM steadytext_generate_stream(?, " + MAX_TOKENS + ", use_cache => false)");
                PreparedStatement generate = calling.prepareStatement(
                        "SELECT steadytext_generate(?, " + MAX_TOKENS + ", use_cache => false)")) {
            streaming.setAutoCommit(false); // a cursor: pgjdbc hands rows over as they arrive only from one
            stream.setFetchSize(1);
            for (String prompt : PROMPTS) { // warm-up
                read(stream, prompt, new long[2]);
                streaming.commit();
            }
            long deadline = System.nanoTime() + context.options().seconds() * 1_000_000_000L;
            for (int round = 0; round < MAX_ROUNDS && (System.nanoTime() < deadline || round < 2 * PROMPTS.size());
                    round++) {
                String prompt = PROMPTS.get(round % PROMPTS.size());
                long[] times = new long[2];
                rows += read(stream, prompt, times);
                streaming.commit();
                firstRow.add(times[0]);
                streamed.add(times[1]);
                long start = System.nanoTime();
                generate.setString(1, prompt); // prompt
                try (ResultSet rs = generate.executeQuery()) {
                    rs.next();
                }
                plain.add(System.nanoTime() - start);
            }
        }
        int n = streamed.size();
        String method = n + " requests each of " + MAX_TOKENS + " tokens (stories260K), fresh (use_cache => false),"
                + " streamed (cursor, fetch size 1, " + rows / n + " rows per answer on average) and plain taking"
                + " turns; p95: first row " + Result.format(firstRow.percentileMillis(95)) + " ms, stream "
                + Result.format(streamed.percentileMillis(95)) + " ms, plain " + Result.format(plain.percentileMillis(95))
                + " ms";
        context.reporter().result(Result.ratio(Figure.STREAM.id(), "steadytext_generate_stream: time to first row (ms, p50)",
                firstRow.percentileMillis(50), plain.percentileMillis(50), Goal.atMost(0.25),
                "reference: steadytext_generate of the same request (its only row comes at the end); " + method));
        context.reporter().result(Result.ratio(Figure.STREAM.id(), "steadytext_generate_stream: time to last row (ms, p50)",
                streamed.percentileMillis(50), plain.percentileMillis(50), Goal.atMost(1.2),
                "reference: steadytext_generate of the same request; what streaming costs in total"));
    }

    /** Reads a stream to its end; times[0] gets the time to the first row, times[1] to the last; returns the rows. */
    private static long read(PreparedStatement stream, String prompt, long[] times) throws SQLException {
        long rows = 0;
        long start = System.nanoTime();
        stream.setString(1, prompt); // prompt
        try (ResultSet rs = stream.executeQuery()) {
            while (rs.next()) {
                if (rows++ == 0) {
                    times[0] = System.nanoTime() - start;
                }
            }
        }
        times[1] = System.nanoTime() - start;
        return rows;
    }
}
