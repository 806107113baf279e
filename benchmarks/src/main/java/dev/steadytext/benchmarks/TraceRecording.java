package dev.steadytext.benchmarks;

import dev.steadytext.benchmarks.Result.Goal;
import dev.steadytext.platform.SteadyTextPlatform;
import dev.steadytext.simulator.parser.ZipfDistribution;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Records access traces for the hit-rate simulator through the platform's own access log: a workload of SQL calls
 * runs against the real platform (stories260K for generation, all-MiniLM-L6-v2 for embeddings) with config
 * {@code cache_access_trace} on, and {@code steadytext_cache_trace_export} writes one CSV per cache kind to
 * {@code --traces}: the scratch directory, unless asked for {@code docs/simulator/traces/}, where the simulator's
 * committed traces are ({@code simulator --trace-file} reads them).
 *
 * <p>The access pattern is this class's (no real users exist yet to record): everyday callers asking popular prompts
 * and texts again (Zipf popularity), generations of assorted lengths, and now and then a batch of one-off texts
 * embedded once, as a document ingestion does. What the recording adds to the synthetic traces is the rest: each
 * entry's real size and compute time, and the order in which the access log really saw the calls. The workload is
 * seeded, so a run asks for the same calls in the same order; compute times vary with the machine.
 */
final class TraceRecording {

    private static final long SEED = 20261207L;
    private static final int ACCESSES = 24_000;
    private static final double GENERATION_SHARE = 0.3;
    private static final int GENERATION_PROMPTS = 600;
    private static final int EMBEDDING_TEXTS = 3_000;
    private static final int INGEST_EVERY = 600;
    private static final int INGEST_BATCH = 48;
    private static final int[] MAX_TOKENS = {16, 32, 64, 128};
    private static final String[] SUBJECTS = {"a little dog", "Lily", "Tom and his friend", "a big red ball",
        "the old tree", "a small bird", "Sue and her mom", "the happy cat", "a boy named Max", "the blue car"};
    private static final String[] SCENES = {"in the park", "at school", "by the sea", "in the garden", "at home",
        "in the forest", "on a rainy day", "at the zoo", "in the kitchen", "under the bed"};
    private static final String[] TOPICS = {"invoice", "contract", "meeting notes", "bug report", "release note",
        "support ticket", "design review", "customer email", "policy update", "incident summary"};

    private final GroupContext context;

    TraceRecording(GroupContext context) {
        this.context = context;
    }

    void run() throws Exception {
        String figure = Figure.TRACE.id();
        Path model = context.options().modelsDir().resolve("stories260K.gguf");
        if (!Files.isRegularFile(model)) {
            context.reporter().result(Result.skipped(figure, model + " not found; use --models DIR"));
            return;
        }
        var since = PlatformStarter.serverNow(context);
        try (SteadyTextPlatform platform = PlatformStarter.start(context, context.workDir("trace-home"),
                Optional.of(model), Optional.empty())) {
            PlatformStarter.awaitModel(context, since, "generation", Optional.empty(), Duration.ofSeconds(60));
            PlatformStarter.awaitModel(context, since, "embedding", Optional.empty(), Duration.ofSeconds(60));
            long start = System.nanoTime();
            try (Connection c = context.connect()) {
                execute(c, "SELECT steadytext_config_set('cache_access_trace', 'true')");
                replayWorkload(c);
                awaitFolded();
                execute(c, "SELECT steadytext_config_set('cache_access_trace', 'false')");
                Path traces = Files.createDirectories(context.options().tracesDir());
                for (String kind : List.of("generation", "embedding")) {
                    Path file = traces.resolve("recorded-" + kind + ".csv");
                    long lines = export(c, kind, file);
                    context.reporter().result(Result.absolute(figure, "recorded " + kind + " accesses", lines,
                            Goal.NONE, distinctKeys(c, kind) + " distinct keys; written to " + shown(file)));
                }
            }
            context.reporter().result(Result.absolute(figure, "workload and export (s)", (System.nanoTime() - start) / 1e9,
                    Goal.NONE, ACCESSES + " calls through SQL, seeded; the simulator replays the CSVs with --trace-file"));
        }
    }

    /** A path as the report shows it: from the project root when inside it, as reports are pasted into docs. */
    private static Path shown(Path file) {
        Path root = ProjectRoot.find();
        return file.startsWith(root) ? root.relativize(file) : file;
    }

    private void replayWorkload(Connection c) throws SQLException {
        SplittableRandom random = new SplittableRandom(SEED);
        ZipfDistribution generations = new ZipfDistribution(GENERATION_PROMPTS, 0.9);
        ZipfDistribution texts = new ZipfDistribution(EMBEDDING_TEXTS, 0.8);
        int ingested = 0;
        try (PreparedStatement generate = c.prepareStatement("SELECT steadytext_generate(?, ?)");
                PreparedStatement embed = c.prepareStatement("SELECT steadytext_embed(?) IS NOT NULL");
                PreparedStatement ingest = c.prepareStatement("SELECT count(*) FROM steadytext_embed_batch(?)")) {
            for (int i = 1; i <= ACCESSES; i++) {
                if (i % INGEST_EVERY == 0) {
                    List<String> batch = new ArrayList<>();
                    for (int j = 0; j < INGEST_BATCH; j++) {
                        batch.add("Ingested " + TOPICS[(ingested + j) % TOPICS.length] + " number " + (ingested + j));
                    }
                    ingested += INGEST_BATCH;
                    ingest.setArray(1, c.createArrayOf("text", batch.toArray()));
                    query(ingest);
                } else if (random.nextDouble() < GENERATION_SHARE) {
                    int prompt = generations.sample(random);
                    generate.setString(1, prompt(prompt));
                    generate.setInt(2, MAX_TOKENS[Math.floorMod(prompt * 31 + 7, MAX_TOKENS.length)]);
                    query(generate);
                } else {
                    int text = texts.sample(random);
                    embed.setString(1, "A note about the " + TOPICS[text % TOPICS.length] + " of week " + text);
                    query(embed);
                }
                if (i % 4_000 == 0) {
                    System.err.printf("trace: %,d of %,d calls%n", i, ACCESSES);
                }
            }
        }
    }

    private static String prompt(int index) {
        return "Once upon a time, " + SUBJECTS[index % SUBJECTS.length] + " was " + SCENES[(index / 10) % SCENES.length]
                + (index >= 100 ? " for the " + (index / 100) + "th time" : "");
    }

    /** Waits until the leader has folded every access of the workload into the trace. */
    private void awaitFolded() throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (context.queryLong("SELECT count(*) FROM steadytext_cache_access") > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the access log was not folded within 30 s: is a worker leading?");
            }
            Thread.sleep(100);
        }
    }

    /** Writes the kind's trace as the simulator reads it; returns the number of accesses. */
    private static long export(Connection c, String kind, Path file) throws SQLException, IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        long lines = 0;
        try (PreparedStatement export = c.prepareStatement(
                "SELECT key_hash, size_bytes, compute_millis FROM steadytext_cache_trace_export(?)");
                Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            export.setString(1, kind);
            export.setFetchSize(10_000);
            out.write("# recorded by the benchmarks' trace figure through the platform's access log (" + kind
                    + "); keys anonymised per export\n");
            out.write("key_hash,size_bytes,compute_millis\n");
            try (ResultSet rows = export.executeQuery()) {
                while (rows.next()) {
                    out.write(rows.getString(1) + "," + rows.getLong(2) + "," + rows.getLong(3) + "\n");
                    lines++;
                }
            }
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return lines;
    }

    private static long distinctKeys(Connection c, String kind) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "SELECT count(DISTINCT cache_key) FROM steadytext_cache_trace WHERE kind = ?")) {
            q.setString(1, kind);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            query(s);
        }
    }

    private static void query(PreparedStatement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            rs.next();
        }
    }
}
