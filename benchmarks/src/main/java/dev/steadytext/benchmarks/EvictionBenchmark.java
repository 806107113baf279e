package dev.steadytext.benchmarks;

import dev.steadytext.benchmarks.Result.Goal;
import dev.steadytext.platform.SteadyTextPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Eviction's cost in PostgreSQL: how long the leading worker takes to evict 10,000 of 100,000 generation entries,
 * and pgbench's {@code steadytext_generate} hit throughput while the worker evicts, against the same run without
 * eviction (the "without blocking concurrent hits").
 *
 * <p>The real platform runs, with a no-op generator dropped into {@code plugins/} (as in {@link NoopBenchmark}) so
 * that the 200 hot prompts are cached by the worker itself; 99,800 cold entries are inserted in SQL, as a worker's
 * completions would insert them. The policy is the default (ARC); the hot entries, hit all the time, are never its
 * victims. Steps:
 * <ol>
 *   <li>alone: the generation budget is set to 90,000; the time from that {@code steadytext_config_set} until the
 *       table holds 90,000 entries (it includes up to one fold interval, 1 s, before the leader reads the new
 *       budget), and the eviction rounds' own duration from {@code steadytext_eviction_history};</li>
 *   <li>without: pgbench, 8 clients, hits on the 200 hot prompts, for T seconds;</li>
 *   <li>during: the budget drops to 10,000, and once the first round has started the same pgbench run: the leader
 *       evicts the whole time (T is what 80,000 evictions took alone at step 1's rate, at most {@code --seconds}).</li>
 * </ol>
 *
 * <p>Construct it with the group's context and the figure id to report under, in a group JVM of its own (it starts
 * its own platform): {@code new EvictionBenchmark(context, "eviction").run()}. It takes about a minute, most of it
 * inserting the entries and the two pgbench runs.
 */
final class EvictionBenchmark {

    private static final int ENTRIES = 100_000;
    private static final int EVICTED = 10_000;
    private static final int FLOOR = 10_000;
    private static final int HOT = 200;
    private static final int INSERT_CHUNK = 10_000;
    private static final int MAX_TOKENS = 64;
    private static final int CLIENTS = 8;
    private static final int THREADS = 2;
    private static final int WARM_UP_SECONDS = 3;
    private static final Duration EVICTION_TIMEOUT = Duration.ofMinutes(3);
    private static final String BUDGET = "cache_max_entries_generation";

    private final GroupContext context;
    private final String figure;

    EvictionBenchmark(GroupContext context, String figure) {
        this.context = context;
        this.figure = figure;
    }

    void run() throws Exception {
        Optional<Pgbench> pgbench = Pgbench.find();
        if (pgbench.isEmpty()) {
            context.reporter().result(Result.skipped(figure, "pgbench not found (PATH, pg_config --bindir,"
                    + " /usr/lib/postgresql/*/bin); install the PostgreSQL client, e.g. apt-get install postgresql-client"));
            return;
        }
        try (SteadyTextPlatform platform = PlatformStarter.startWithNoopGenerator(context, "eviction")) {
            measure(pgbench.get());
        }
    }

    private void measure(Pgbench pgbench) throws Exception {
        configSet(BUDGET, "unbounded");
        fill();
        Path script = Files.writeString(context.workDir("eviction").resolve("hot.sql"),
                "\\set i random(1, " + HOT + ")\nSELECT steadytext_generate('Eviction hot prompt ' || :i, "
                        + MAX_TOKENS + ");\n");
        run(pgbench, script, WARM_UP_SECONDS); // the hot entries become ARC's T2, and stay there

        Timestamp aloneStart = PlatformStarter.serverNow(context);
        long aloneNanos = evictDownTo(ENTRIES - EVICTED);
        double aloneRounds = roundMillis(aloneStart, PlatformStarter.serverNow(context));
        context.reporter().result(Result.absolute(figure, "evict 10,000 of 100,000 entries (ms)", aloneRounds,
                Goal.NONE, "the eviction rounds' duration (steadytext_eviction_history), batches of 500; from the "
                        + "budget change until the table holds 90,000 entries: " + Result.format(aloneNanos / 1e6)
                        + " ms, which includes waiting for the leader's next fold"));

        double evictionsPerSecond = EVICTED / Math.max(aloneRounds / 1000, 1e-3);
        int seconds = (int) Math.max(3, Math.min(context.options().seconds(),
                Math.floor((ENTRIES - EVICTED - FLOOR) / evictionsPerSecond)));
        long jobsBefore = context.queryLong("SELECT count(*) FROM steadytext_queue");
        Pgbench.Outcome without = run(pgbench, script, seconds);

        Timestamp duringStart = PlatformStarter.serverNow(context);
        CompletableFuture<Long> eviction = CompletableFuture.supplyAsync(() -> {
            try {
                return evictDownTo(FLOOR);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitFirstRound(duringStart);
        Timestamp windowStart = PlatformStarter.serverNow(context);
        Pgbench.Outcome during = run(pgbench, script, seconds);
        Timestamp windowEnd = PlatformStarter.serverNow(context);
        double busy = roundMillis(windowStart, windowEnd) / Math.max(1, windowEnd.getTime() - windowStart.getTime());
        long evictedDuring = evictedBetween(windowStart, windowEnd);
        eviction.join();
        long jobs = context.queryLong("SELECT count(*) FROM steadytext_queue") - jobsBefore;

        String how = "pgbench -c " + CLIENTS + " -j " + THREADS + " -M prepared -T " + seconds + ", hits on " + HOT
                + " hot prompts; " + jobs + " jobs enqueued (0 = every call hit)";
        context.reporter().result(Result.ratio(figure, "steadytext_generate hits while evicting (tps)", during.tps(),
                without.tps(), Goal.NONE, how + "; reference: the same run without eviction; the leader evicted "
                        + evictedDuring + " entries during the run, busy " + Math.round(busy * 100) + "% of it"));
        context.reporter().result(Result.absolute(figure, "evictions per second while hits are served",
                evictedDuring / Math.max(1e-3, (windowEnd.getTime() - windowStart.getTime()) / 1000.0), Goal.NONE,
                "alone: " + Result.format(evictionsPerSecond) + " per second of eviction rounds"));
        context.reporter().result(Result.absolute(figure, "hit latency while evicting (ms)", during.latencyMillis(),
                Goal.NONE, "pgbench latency average; without eviction: " + Result.format(without.latencyMillis()) + " ms"));
    }

    /** 200 hot entries cached by the worker, then cold entries inserted in SQL up to 100,000; all tracked. */
    private void fill() throws Exception {
        try (Connection c = context.connect(); PreparedStatement generate = c.prepareStatement(
                "SELECT steadytext_generate('Eviction hot prompt ' || ?, " + MAX_TOKENS + ")")) {
            for (int i = 1; i <= HOT; i++) {
                generate.setInt(1, i); // the prompt's number, as pgbench's :i
                generate.executeQuery().close();
            }
        }
        context.reporter().progress("eviction: inserting " + (ENTRIES - HOT) + " cold entries");
        try (Connection c = context.connect(); PreparedStatement insert = c.prepareStatement("""
                INSERT INTO steadytext_cache (cache_key, kind, model_fingerprint, model_name, prompt, response,
                                              seed, eos_string, response_size, generation_time_ms)
                SELECT encode(sha256(convert_to('eviction cold ' || i, 'UTF8')), 'hex'), 'generation', m.fingerprint,
                       m.name, 'Eviction cold prompt ' || i, repeat('Once upon a time a robot painted the sea. ', 8),
                       42, '[EOS]', 336, 1000
                  FROM generate_series(?, ?) AS i,   -- first, last
                       (SELECT fingerprint, name FROM steadytext_models
                         WHERE kind = 'generation' AND is_default ORDER BY last_seen DESC LIMIT 1) AS m
                """)) {
            for (int first = 1; first <= ENTRIES - HOT; first += INSERT_CHUNK) {
                insert.setInt(1, first); // first
                insert.setInt(2, Math.min(ENTRIES - HOT, first + INSERT_CHUNK - 1)); // last
                insert.executeUpdate();
            }
        }
        // Tracked once the leader has read the whole change feed, and folded once more.
        long deadline = System.nanoTime() + EVICTION_TIMEOUT.toNanos();
        while (context.queryLong("SELECT count(*) FROM steadytext_cache_changes") > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the leader did not read the change feed within "
                        + EVICTION_TIMEOUT.toMinutes() + " minutes");
            }
            Thread.sleep(100);
        }
        Thread.sleep(1_500);
    }

    /** Sets the generation budget and waits until the table fits it; returns how long that took. */
    private long evictDownTo(int entries) throws Exception {
        long start = System.nanoTime();
        configSet(BUDGET, Integer.toString(entries));
        long deadline = start + EVICTION_TIMEOUT.toNanos();
        while (context.queryLong("SELECT count(*) FROM steadytext_cache WHERE kind = 'generation'") > entries) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the generation cache did not shrink to " + entries + " entries within "
                        + EVICTION_TIMEOUT.toMinutes() + " minutes; is the eviction service running?");
            }
            Thread.sleep(10);
        }
        return System.nanoTime() - start;
    }

    private void awaitFirstRound(Timestamp since) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Timestamp later = new Timestamp(since.getTime() + Duration.ofHours(1).toMillis());
        while (evictedBetween(since, later) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** The summed duration of the budget rounds that started in [from, to). */
    private double roundMillis(Timestamp from, Timestamp to) throws SQLException {
        return rounds("SELECT coalesce(sum(duration_ms), 0)", from, to);
    }

    private long evictedBetween(Timestamp from, Timestamp to) throws SQLException {
        return (long) rounds("SELECT coalesce(sum(evicted), 0)", from, to);
    }

    private double rounds(String select, Timestamp from, Timestamp to) throws SQLException {
        try (Connection c = context.connect(); PreparedStatement query = c.prepareStatement(select
                + " FROM steadytext_eviction_history WHERE trigger = 'budget' AND started_at >= ? AND started_at < ?")) {
            query.setTimestamp(1, from); // started_at from
            query.setTimestamp(2, to); // started_at to
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getDouble(1);
            }
        }
    }

    private void configSet(String key, String value) throws SQLException {
        try (Connection c = context.connect(); PreparedStatement set = c.prepareStatement(
                "SELECT steadytext_config_set(?, ?)")) {
            set.setString(1, key); // key
            set.setString(2, value); // value
            set.executeQuery().close();
        }
    }

    private Pgbench.Outcome run(Pgbench pgbench, Path script, int seconds) throws Exception {
        Pgbench.Outcome outcome = pgbench.run(script, context.database(), context.port(), CLIENTS, THREADS, seconds);
        if (outcome.failed() > 0) {
            throw new IllegalStateException(script.getFileName() + ": " + outcome.failed() + " failed transactions");
        }
        context.reporter().progress("  eviction " + script.getFileName() + ": " + Result.format(outcome.tps()) + " tps");
        return outcome;
    }
}
