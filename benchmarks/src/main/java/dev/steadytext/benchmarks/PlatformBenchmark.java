package dev.steadytext.benchmarks;

import dev.steadytext.api.embed.Embedder;
import dev.steadytext.api.generate.Generation;
import dev.steadytext.api.generate.GenerationRequest;
import dev.steadytext.api.generate.Generator;
import dev.steadytext.api.rerank.Reranker;
import dev.steadytext.benchmarks.Result.Goal;
import dev.steadytext.platform.SteadyTextPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Figures 3b and 3c: the SQL path against the same backend called in-process, in one platform.
 *
 * <p>The in-process reference is the platform's own backend service ({@code SteadyTextPlatform.embedder()} /
 * {@code generator()}, i.e. our {@code OnnxEmbedder} and {@code LlamaCppGenerator} instances the worker uses): same
 * model, same settings, same native library. A second llama.cpp outside the framework is not possible anyway, as its
 * native library loads once per JVM.
 */
final class PlatformBenchmark {

    private static final int GENERATION_TOKENS = 256;
    private static final List<String> PROMPTS = List.of("Once upon a time", "The little dog", "One day, Lily",
            "Tom and his friend", "There was a big tree", "The sun was shining", "A girl named Sue", "In the park");

    private final GroupContext context;

    PlatformBenchmark(GroupContext context) {
        this.context = context;
    }

    void run() throws Exception {
        Path model = context.options().modelsDir().resolve("stories260K.gguf");
        boolean generation = context.selected(Figure.GENERATION);
        boolean grammar = context.selected(Figure.GRAMMAR);
        boolean stream = context.selected(Figure.STREAM);
        if ((generation || grammar || stream) && !Files.isRegularFile(model)) {
            for (Figure figure : List.of(Figure.GENERATION, Figure.GRAMMAR, Figure.STREAM)) {
                if (context.selected(figure)) {
                    context.reporter().result(Result.skipped(figure.id(), model + " not found; use --models DIR"));
                }
            }
            generation = false;
            grammar = false;
            stream = false;
        }
        var since = PlatformStarter.serverNow(context);
        Optional<Path> conf = context.selected(Figure.RERANK)
                ? Optional.of(RerankBenchmark.configure(context.workDir("rerank-models"))) : Optional.empty();
        try (SteadyTextPlatform platform = PlatformStarter.start(context, context.workDir("platform-home"),
                generation || grammar || stream ? Optional.of(model) : Optional.empty(), Optional.empty(), conf)) {
            if (context.selected(Figure.SQL_EMBEDDINGS)) {
                PlatformStarter.awaitModel(context, since, "embedding", Optional.empty(), Duration.ofSeconds(60));
                embeddings(platform.embedder());
            }
            if (context.selected(Figure.RERANK)) {
                PlatformStarter.awaitModel(context, since, "reranking", Optional.empty(), Duration.ofSeconds(60));
                RerankBenchmark rerank = new RerankBenchmark(context);
                rerank.run(platform.service(Reranker.class, Duration.ofSeconds(60)));
                rerank.runTinyBackends();
            }
            if (generation || grammar || stream) {
                PlatformStarter.awaitModel(context, since, "generation", Optional.empty(), Duration.ofSeconds(60));
            }
            if (generation) {
                generation(platform.generator());
            }
            if (grammar) {
                new GrammarOverheadBenchmark(context).run(platform.generator());
            }
            if (stream) {
                new StreamBenchmark(context).run();
            }
        }
    }

    /**
     * The corpus through {@code steadytext_embed_batch} (fresh texts every round, so each is a miss computed by the
     * worker and cached) against the same fresh texts embedded in batches of the backend's maximum in-process; the
     * two take turns round by round.
     */
    private void embeddings(Embedder embedder) throws Exception {
        List<String> corpus = SampleTexts.corpus();
        double seconds = Math.max(3, context.options().seconds() * 2 / 3.0);
        int[] round = {0};
        try (Connection c = context.connect();
                PreparedStatement sql = c.prepareStatement("SELECT embedding FROM steadytext_embed_batch(?)")) {
            Throughput.Round throughSql = () -> {
                List<String> texts = SampleTexts.fresh(corpus, "sql " + round[0]++);
                sql.setArray(1, c.createArrayOf("text", texts.toArray()));
                long rows = 0;
                try (ResultSet rs = sql.executeQuery()) {
                    while (rs.next()) {
                        rs.getString(1); // the vector crosses the wire as a client would receive it; not parsed
                        rows++;
                    }
                }
                return rows;
            };
            Throughput.Round inProcess = () -> {
                List<String> texts = SampleTexts.fresh(corpus, "direct " + round[0]++);
                int batch = embedder.maxBatchSize();
                for (int from = 0; from < texts.size(); from += batch) {
                    embedder.embed(texts.subList(from, Math.min(texts.size(), from + batch)));
                }
                return texts.size();
            };
            var rates = new Interleaved().add("in-process", inProcess).add("sql", throughSql).measure(2 * seconds);
            double direct = rates.get("in-process");
            double viaSql = rates.get("sql");
            context.reporter().progress("  in-process: " + Result.format(direct) + " embeddings/s");
            context.reporter().result(Result.ratio(Figure.SQL_EMBEDDINGS.id(),
                    "steadytext_embed_batch of " + corpus.size() + " fresh texts (embeddings/s)", viaSql, direct,
                    Goal.atLeast(0.8), "reference: the platform's Embedder called in-process, batches of "
                            + embedder.maxBatchSize() + ", same texts; SQL results read as text, not parsed"));
        }
    }

    /**
     * The same greedy requests through {@code steadytext_generate(prompt, 256, use_cache => false)} and through the
     * backend directly, alternating prompt by prompt; the token count of each prompt is the direct call's (the output
     * is the same, which is checked).
     */
    private void generation(Generator generator) throws Exception {
        double seconds = Math.max(3, context.options().seconds() * 2 / 3.0);
        long[] directNanos = {0};
        long[] sqlNanos = {0};
        long[] tokens = {0};
        long[] answers = {0};
        List<String> mismatches = new ArrayList<>();
        try (Connection c = context.connect(); PreparedStatement sql = c.prepareStatement(
                "SELECT steadytext_generate(?, " + GENERATION_TOKENS + ", use_cache => false)")) {
            Throughput.Round round = () -> {
                for (String prompt : PROMPTS) {
                    long start = System.nanoTime();
                    Generation direct = generator.generate(GenerationRequest.of(prompt, GENERATION_TOKENS, 42, "[EOS]"));
                    long middle = System.nanoTime();
                    sql.setString(1, prompt); // prompt
                    String text;
                    try (ResultSet rs = sql.executeQuery()) {
                        rs.next();
                        text = rs.getString(1);
                    }
                    sqlNanos[0] += System.nanoTime() - middle;
                    directNanos[0] += middle - start;
                    tokens[0] += direct.tokens();
                    answers[0]++;
                    if (!direct.text().strip().equals(text) && mismatches.size() < 3) {
                        mismatches.add(prompt);
                    }
                }
                return PROMPTS.size();
            };
            round.run(); // warm-up
            directNanos[0] = 0;
            sqlNanos[0] = 0;
            tokens[0] = 0;
            answers[0] = 0;
            Throughput.measure(round, 2 * seconds, 2);
        }
        double direct = tokens[0] / (directNanos[0] / 1e9);
        double viaSql = tokens[0] / (sqlNanos[0] / 1e9);
        // Where the difference goes: the worker records the backend's own time per job (processing_time_ms).
        // The median: the first jobs after the model loads are slower and would dominate a mean of a few dozen.
        double workerMillis = context.queryLong("SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY"
                + " processing_time_ms) * 1000) FROM steadytext_queue WHERE request_type = 'generate'"
                + " AND status = 'completed'") / 1000.0;
        context.reporter().result(Result.ratio(Figure.GENERATION.id(), "steadytext_generate, stories260K, up to "
                + GENERATION_TOKENS + " tokens (tokens/s)", viaSql, direct, Goal.atLeast(0.95),
                "reference: LlamaCppGenerator.generate on the same requests in-process, alternating; "
                        + tokens[0] / answers[0] + " tokens per answer on average; per answer: direct "
                        + Result.format(directNanos[0] / 1e6 / answers[0]) + " ms, SQL " + Result.format(sqlNanos[0] / 1e6 / answers[0])
                        + " ms, of which the worker's backend call (median) " + Result.format(workerMillis) + " ms; "
                        + (mismatches.isEmpty() ? "SQL and direct texts identical" : "TEXTS DIFFER for " + mismatches)));
    }
}
