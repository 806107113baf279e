package dev.steadytext.benchmarks;

import dev.steadytext.benchmarks.Result.Goal;
import dev.steadytext.platform.SteadyTextPlatform;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Figures 3d and 3e: the platform's own overhead, with a no-op generation backend (it answers "ok" at once) dropped
 * into the platform's {@code plugins/} directory and no llama.cpp model configured.
 *
 * <p>Sync misses: {@code steadytext_generate} with a prompt never seen before, so every call enqueues through the
 * loopback, waits for the worker's NOTIFY and reads the result. Clients are JDBC connections in this JVM (the
 * worker's too: on two cores they compete, as pgbench would).
 *
 * <p>Queue: N jobs enqueued by {@code steadytext_generate_batch_async} in one transaction, then timed from its commit
 * until the last is completed.
 */
final class NoopBenchmark {

    private static final int MAX_TOKENS = 16;
    private static final int LATENCY_WARM_UP = 300;
    private static final int LATENCY_CALLS = 2_000;
    private static final int CLIENTS = 8;
    private static final int QUEUE_JOBS = 20_000;
    private static final int ENQUEUE_CHUNK = 1_000;
    private static final Duration QUEUE_TIMEOUT = Duration.ofMinutes(5);

    private final GroupContext context;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    NoopBenchmark(GroupContext context) {
        this.context = context;
    }

    void run() throws Exception {
        try (SteadyTextPlatform platform = PlatformStarter.startWithNoopGenerator(context, "noop")) {
            if (context.selected(Figure.SYNC_MISS)) {
                latencyAtOneClient();
                throughputAtEightClients();
            }
            if (context.selected(Figure.QUEUE)) {
                queue();
            }
        }
    }

    private void latencyAtOneClient() throws Exception {
        try (Connection c = connect(); PreparedStatement generate = c.prepareStatement(
                "SELECT steadytext_generate(?, " + MAX_TOKENS + ")")) {
            for (int i = 0; i < LATENCY_WARM_UP; i++) {
                call(generate, "warm " + run + " " + i);
            }
            long jobsBefore = context.queryLong("SELECT count(*) FROM steadytext_queue WHERE status = 'completed'");
            Latencies misses = new Latencies(LATENCY_CALLS);
            for (int i = 0; i < LATENCY_CALLS; i++) {
                long start = System.nanoTime();
                call(generate, "miss " + run + " " + i);
                misses.add(System.nanoTime() - start);
            }
            long jobs = context.queryLong("SELECT count(*) FROM steadytext_queue WHERE status = 'completed'") - jobsBefore;
            // The same prompts again are hits: the cost of the same call when the worker is not involved.
            Latencies hits = new Latencies(LATENCY_CALLS);
            for (int i = 0; i < LATENCY_CALLS; i++) {
                long start = System.nanoTime();
                call(generate, "miss " + run + " " + i);
                hits.add(System.nanoTime() - start);
            }
            String figure = Figure.SYNC_MISS.id();
            context.reporter().result(Result.absolute(figure, "miss latency p50, 1 client (ms)",
                    misses.percentileMillis(50), Goal.atMost(2.0), LATENCY_CALLS + " unique prompts after "
                            + LATENCY_WARM_UP + " warm-up calls; " + jobs + " jobs completed; hit p50 "
                            + Result.format(hits.percentileMillis(50)) + " ms"));
            context.reporter().result(Result.absolute(figure, "miss latency p95, 1 client (ms)",
                    misses.percentileMillis(95), Goal.NONE, "p99 " + Result.format(misses.percentileMillis(99))
                            + " ms; hit p95 " + Result.format(hits.percentileMillis(95)) + " ms"));
            reportMissBreakdown(figure, "miss " + run + " %");
        }
    }

    /**
     * Where a miss's time goes, from the queue's own clocks: until the worker claims the job (enqueue commit, NOTIFY,
     * wake-up, claim) and from the claim to the completion; the rest of the caller's time is the loopback round trip
     * and the caller noticing the completion.
     */
    private void reportMissBreakdown(String figure, String promptPattern) throws Exception {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("""
                SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at)),
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - started_at))
                FROM steadytext_queue WHERE prompt LIKE ? AND status = 'completed'""")) {
            s.setString(1, promptPattern);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                context.reporter().result(Result.absolute(figure, "breakdown: enqueue to claim, p50 (ms)",
                        rs.getDouble(1) * 1e3, Goal.NONE, "queue created_at to started_at, 1 client"));
                context.reporter().result(Result.absolute(figure, "breakdown: claim to completion, p50 (ms)",
                        rs.getDouble(2) * 1e3, Goal.NONE, "queue started_at to completed_at, 1 client"));
            }
        }
    }

    private void throughputAtEightClients() throws Exception {
        AtomicBoolean counting = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong calls = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < CLIENTS; t++) {
            String prefix = "miss8 " + run + " " + t + " ";
            clients.add(Thread.ofPlatform().name("bench-client-" + t).start(() -> {
                try (Connection c = connect(); PreparedStatement generate = c.prepareStatement(
                        "SELECT steadytext_generate(?, " + MAX_TOKENS + ")")) {
                    for (long i = 0; !stop.get(); i++) {
                        call(generate, prefix + i);
                        if (counting.get()) {
                            calls.incrementAndGet();
                        }
                    }
                } catch (Exception | Error e) {
                    failures.add(e);
                }
            }));
        }
        Thread.sleep(2_000); // warm-up: sessions, loopback connections, plans
        counting.set(true);
        long start = System.nanoTime();
        Thread.sleep(context.options().seconds() * 1_000L);
        counting.set(false);
        long elapsed = System.nanoTime() - start;
        long counted = calls.get();
        stop.set(true);
        for (Thread client : clients) {
            client.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a client failed: " + failures.get(0), failures.get(0));
        }
        context.reporter().result(Result.absolute(Figure.SYNC_MISS.id(), "misses/s, " + CLIENTS + " clients",
                counted / (elapsed / 1e9), Goal.atLeast(2_000), CLIENTS + " JDBC sessions, unique prompts, "
                        + context.options().seconds() + " s after 2 s warm-up"));
    }

    private void queue() throws Exception {
        List<String> prompts = new ArrayList<>(QUEUE_JOBS);
        for (int i = 0; i < QUEUE_JOBS; i++) {
            prompts.add("job " + run + " " + i);
        }
        long start;
        long committed;
        try (Connection c = connect(); PreparedStatement enqueue = c.prepareStatement(
                "SELECT cardinality(steadytext_generate_batch_async(?, " + MAX_TOKENS + "))")) {
            c.setAutoCommit(false);
            start = System.nanoTime();
            for (int from = 0; from < QUEUE_JOBS; from += ENQUEUE_CHUNK) {
                List<String> chunk = prompts.subList(from, Math.min(QUEUE_JOBS, from + ENQUEUE_CHUNK));
                enqueue.setArray(1, c.createArrayOf("text", chunk.toArray())); // prompts
                try (ResultSet rs = enqueue.executeQuery()) {
                    rs.next();
                }
            }
            c.commit(); // the jobs become visible to the worker, and NOTIFY fires, here
            committed = System.nanoTime();
        }
        long done = awaitQueueEmpty();
        long completed;
        long failed;
        double workerSeconds;
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*) FILTER (WHERE status = 'completed'), count(*) FILTER (WHERE status = 'failed'),"
                        + " extract(epoch FROM max(completed_at) - min(started_at))"
                        + " FROM steadytext_queue WHERE prompt LIKE 'job " + run + " %'")) {
            rs.next();
            completed = rs.getLong(1);
            failed = rs.getLong(2);
            workerSeconds = rs.getDouble(3);
        }
        String figure = Figure.QUEUE.id();
        context.reporter().result(Result.absolute(figure, QUEUE_JOBS + " no-op jobs, commit to last completed (jobs/s)",
                QUEUE_JOBS / ((done - committed) / 1e9), Goal.atLeast(5_000), completed + " completed, " + failed
                        + " failed; polled every 20 ms"));
        context.reporter().result(Result.absolute(figure, "enqueue rate, steadytext_generate_batch_async (jobs/s)",
                QUEUE_JOBS / ((committed - start) / 1e9), Goal.NONE, "chunks of " + ENQUEUE_CHUNK
                        + " prompts, one transaction; including enqueue the whole run took "
                        + Result.format((done - start) / 1e9) + " s"));
        context.reporter().result(Result.absolute(figure, "worker rate, first claim to last completion (jobs/s)",
                QUEUE_JOBS / workerSeconds, Goal.NONE, "from the queue's own started_at/completed_at"));
    }

    /** Polls until no job is pending or processing; returns System.nanoTime() at that moment. */
    private long awaitQueueEmpty() throws Exception {
        long deadline = System.nanoTime() + QUEUE_TIMEOUT.toNanos();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                // Two EXISTS on the partial indexes: a count over 20,000 rows every 20 ms would load the server.
                try (ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM steadytext_queue WHERE status = 'pending')"
                        + " OR EXISTS (SELECT 1 FROM steadytext_queue WHERE status = 'processing')")) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        return System.nanoTime();
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("the queue did not drain within " + QUEUE_TIMEOUT.toMinutes() + " minutes");
    }

    private Connection connect() throws Exception {
        Connection c = context.connect();
        try (Statement s = c.createStatement()) {
            s.execute("SET steadytext.sync_timeout = '30s'");
        }
        return c;
    }

    private static void call(PreparedStatement generate, String prompt) throws Exception {
        generate.setString(1, prompt); // prompt
        try (ResultSet rs = generate.executeQuery()) {
            rs.next();
        }
    }
}
