package dev.steadytext.benchmarks;

import dev.steadytext.benchmarks.Result.Goal;
import dev.steadytext.platform.SteadyTextPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Figure 1: a cache hit of {@code steadytext_generate} against a plain indexed SELECT of the same rows, with the
 * platform running as in production (a no-op generator as its default model): its leader folds the access log, and
 * the folded counts are what tell the hit path which entries are hot.
 *
 * <p>200 rows are inserted under the keys {@code steadytext_cache_key} computes for the served default. Both pgbench
 * scripts pick one of the 200 rows at random through the same {@code \if} chain of literals, so client-side work is
 * identical and only the statement differs: the function call (script a) or
 * {@code SELECT response FROM steadytext_cache WHERE cache_key = '...'} (script b). Script c hammers one key, which
 * must not serialise on a row lock. The three take turns. Last, the pieces of the hit path run alone, to show where a
 * hit's time goes.
 */
final class CacheHitBenchmark {

    private static final String FIGURE = Figure.CACHE_HIT.id();
    private static final int PROMPTS = 200;
    private static final int MAX_TOKENS = 64;
    private static final int CLIENTS = 8;
    private static final int THREADS = 2;
    private static final int WARM_UP_SECONDS = 3;
    private static final int ROUNDS = 3;

    private final GroupContext context;

    CacheHitBenchmark(GroupContext context) {
        this.context = context;
    }

    void run() throws Exception {
        var pgbench = Pgbench.find();
        if (pgbench.isEmpty()) {
            context.reporter().result(Result.skipped(FIGURE, "pgbench not found (PATH, pg_config --bindir,"
                    + " /usr/lib/postgresql/*/bin); install the PostgreSQL client, e.g. apt-get install postgresql-client"));
            return;
        }
        context.reporter().progress("cache-hit: " + pgbench.get().version() + ", " + PROMPTS + " cached prompts");
        try (SteadyTextPlatform platform = PlatformStarter.startWithNoopGenerator(context, "cache-hit")) {
            measure(pgbench.get());
        }
    }

    private void measure(Pgbench pgbench) throws Exception {
        List<String[]> rows = insertCachedRows();
        Path dir = context.workDir("cache-hit");
        Path generate = script(dir, "generate.sql", rows, r -> "SELECT steadytext_generate('" + r[0] + "', " + MAX_TOKENS + ");");
        Path select = script(dir, "select.sql", rows, r -> "SELECT response FROM steadytext_cache WHERE cache_key = '" + r[1] + "';");
        Path hot = Files.writeString(dir.resolve("hot.sql"),
                "SELECT steadytext_generate('" + rows.get(0)[0] + "', " + MAX_TOKENS + ");\n");

        // Three turns of a, b, c rather than one long run each: background load then hits all three alike.
        int seconds = Math.max(3, context.options().seconds() / ROUNDS);
        // Shared buffers, the plan cache paths, and the folded counts that make these entries hot: not measured.
        run(pgbench, generate, WARM_UP_SECONDS);
        long hitsBefore = countedHits();
        List<Pgbench.Outcome> spreadRuns = new ArrayList<>();
        List<Pgbench.Outcome> plainRuns = new ArrayList<>();
        List<Pgbench.Outcome> oneKeyRuns = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            spreadRuns.add(run(pgbench, generate, seconds));
            plainRuns.add(run(pgbench, select, seconds));
            oneKeyRuns.add(run(pgbench, hot, seconds));
        }
        long counted = countedHits() - hitsBefore;
        long jobs = context.queryLong("SELECT count(*) FROM steadytext_queue");
        Pgbench.Outcome spread = Pgbench.Outcome.combine(spreadRuns);
        Pgbench.Outcome plain = Pgbench.Outcome.combine(plainRuns);
        Pgbench.Outcome oneKey = Pgbench.Outcome.combine(oneKeyRuns);

        String how = "pgbench -c " + CLIENTS + " -j " + THREADS + " -M prepared, " + ROUNDS + " turns of -T " + seconds;
        context.reporter().result(Result.ratio(FIGURE, "steadytext_generate hits over 200 keys (tps)", spread.tps(),
                plain.tps(), Goal.atLeast(0.6), how + "; reference: indexed SELECT of the same rows by cache_key"));
        context.reporter().result(Result.ratio(FIGURE, "steadytext_generate, one hot key (tps)", oneKey.tps(),
                spread.tps(), Goal.atLeast(0.9), how + "; reference: the 200-key run above"));
        context.reporter().result(Result.ratio(FIGURE, "hits counted by steadytext_cache_stats", counted,
                spread.transactions() + oneKey.transactions(), Goal.atLeast(0.97),
                "reference: pgbench transactions of both function runs (hot entries' hits are sampled, so the count is"
                        + " an estimate); " + jobs + " jobs enqueued (0 = every call hit)"));
        context.reporter().result(Result.absolute(FIGURE, "steadytext_generate hit latency at 8 clients (ms)",
                spread.latencyMillis(), Goal.NONE, "pgbench latency average; plain SELECT: "
                        + Result.format(plain.latencyMillis()) + " ms"));
        breakdown(pgbench, dir, rows.get(0), plain.tps(), spread.tps(), seconds);
    }

    /** Generation hits as steadytext_cache_stats counts them: folded, plus the access log not folded yet. */
    private long countedHits() throws Exception {
        return context.queryLong("SELECT hits FROM steadytext_cache_stats() WHERE kind = 'generation'");
    }

    /**
     * Where a hit's time goes: the pieces of {@code steadytext_generate}'s hit path run alone, one statement each,
     * as informational rows in microseconds per call at 8 clients (1 / tps x 8 clients; on 2 cores this includes
     * pgbench's and the protocol's share, which {@code SELECT 1} shows).
     */
    private void breakdown(Pgbench pgbench, Path dir, String[] row, double plainTps, double hitTps, int seconds) throws Exception {
        String fingerprint;
        try (Connection c = context.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT model_fingerprint FROM steadytext_cache LIMIT 1")) {
            rs.next();
            fingerprint = rs.getString(1);
        }
        String[][] pieces = {
            {"SELECT 1", "SELECT 1;"},
            {"request validation and key (_steadytext_generation_request)", "SELECT * FROM"
                    + " _steadytext_generation_request('steadytext_generate', '" + row[0] + "', " + MAX_TOKENS
                    + ", true, 42, '[EOS]', NULL, NULL, false, false);"},
            {"cache key alone (_steadytext_generation_key)", "SELECT _steadytext_generation_key('" + fingerprint
                    + "', " + MAX_TOKENS + ", 42, '[EOS]', '" + row[0] + "');"},
            {"access-log append alone", "INSERT INTO steadytext_cache_access (cache_key, kind, hit) VALUES ('"
                    + row[1] + "', 'generation', true);"},
        };
        for (String[] piece : pieces) {
            Path script = Files.writeString(dir.resolve("piece.sql"), piece[1] + "\n");
            double tps = run(pgbench, script, Math.max(3, seconds / 2)).tps();
            context.reporter().result(Result.absolute(FIGURE, "breakdown: " + piece[0] + " (µs per call, 8 clients)",
                    CLIENTS * 1e6 / tps, Goal.NONE, "alone, one key; for comparison a whole hit is "
                            + Result.format(CLIENTS * 1e6 / hitTps) + " µs, the plain indexed SELECT "
                            + Result.format(CLIENTS * 1e6 / plainTps) + " µs"));
        }
    }

    private Pgbench.Outcome run(Pgbench pgbench, Path script, int seconds) throws Exception {
        Pgbench.Outcome outcome = pgbench.run(script, context.database(), context.port(), CLIENTS, THREADS, seconds);
        if (outcome.failed() > 0) {
            throw new IllegalStateException(script.getFileName() + ": " + outcome.failed() + " failed transactions");
        }
        context.reporter().progress("  " + script.getFileName() + ": " + Result.format(outcome.tps()) + " tps");
        return outcome;
    }

    /** Caches 200 answers of the served default model; returns (prompt, cache_key) pairs. */
    private List<String[]> insertCachedRows() throws Exception {
        try (Connection c = context.connect()) {
            String fingerprint;
            String name;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT fingerprint, name FROM"
                    + " steadytext_models WHERE kind = 'generation' AND is_default ORDER BY last_seen DESC LIMIT 1")) {
                rs.next();
                fingerprint = rs.getString(1);
                name = rs.getString(2);
            }
            // The key exactly as steadytext_generate(prompt, 64) computes it, by the SQL function that exposes it.
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO steadytext_cache (cache_key, kind,"
                    + " model_fingerprint, model_name, prompt, response, seed, eos_string, generation_params, response_size)"
                    + " SELECT steadytext_cache_key(p.prompt, ?), 'generation', ?, ?, p.prompt, p.response, 42, '[EOS]',"
                    + " jsonb_build_object('max_tokens', ?), octet_length(p.response)"
                    + " FROM (SELECT 'Benchmark prompt ' || i || ': tell a short story about a robot who paints.' AS prompt,"
                    + "              repeat('Once upon a time a robot painted the sea. ', 8) || i AS response"
                    + "       FROM generate_series(1, ?) AS i) AS p")) {
                insert.setInt(1, MAX_TOKENS); // max_tokens of the key
                insert.setString(2, fingerprint); // model_fingerprint
                insert.setString(3, name); // model_name
                insert.setInt(4, MAX_TOKENS); // generation_params.max_tokens
                insert.setInt(5, PROMPTS); // how many rows
                insert.executeUpdate();
            }
            List<String[]> rows = new ArrayList<>();
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE steadytext_cache");
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT prompt, cache_key FROM steadytext_cache ORDER BY id")) {
                while (rs.next()) {
                    rows.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            // Sanity: the function must answer from these rows, or the figure would measure misses.
            try (PreparedStatement check = c.prepareStatement("SELECT steadytext_generate(?, ?) = response FROM"
                    + " steadytext_cache WHERE prompt = ?")) {
                check.setString(1, rows.get(0)[0]);
                check.setInt(2, MAX_TOKENS);
                check.setString(3, rows.get(0)[0]);
                try (ResultSet rs = check.executeQuery()) {
                    if (!rs.next() || !rs.getBoolean(1)) {
                        throw new IllegalStateException("steadytext_generate did not answer from the inserted rows");
                    }
                }
            }
            return rows;
        }
    }

    /** A pgbench script that runs {@code statement} for one of the rows, chosen uniformly at random. */
    private static Path script(Path dir, String name, List<String[]> rows, Function<String[], String> statement)
            throws Exception {
        StringBuilder s = new StringBuilder("\\set i random(1, ").append(rows.size()).append(")\n");
        for (int i = 0; i < rows.size(); i++) {
            s.append(i == 0 ? "\\if" : "\\elif").append(" :i = ").append(i + 1).append('\n')
                    .append(statement.apply(rows.get(i))).append('\n');
        }
        s.append("\\endif\n");
        return Files.writeString(dir.resolve(name), s);
    }
}
