package dev.steadytext.cache.postgres.internal;

import dev.steadytext.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Threads that read random cached prompts as SQL callers do, through {@code steadytext_generate}, and record what
 * they got: the whole cached answer (a hit), a clean miss (no worker runs here, so a miss times out with 57014 after
 * 20 ms), or anything else (wrong).
 */
final class Readers {

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final Queue<String> wrong = new ConcurrentLinkedQueue<>();

    private Readers() {
    }

    static Readers start(TestDatabase db, List<String> prompts, int count) {
        Readers readers = new Readers();
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(() -> readers.read(db, prompts), "reader-" + i);
            readers.threads.add(thread);
            thread.start();
        }
        return readers;
    }

    private void read(TestDatabase db, List<String> prompts) {
        try (Connection c = db.connect(); Statement setup = c.createStatement();
                PreparedStatement generate = c.prepareStatement(
                        "SELECT steadytext_generate(?, " + CacheDatabase.MAX_TOKENS + ")")) {
            setup.execute("SET steadytext.sync_timeout = '20ms'");
            while (running.get()) {
                String prompt = prompts.get(ThreadLocalRandom.current().nextInt(prompts.size()));
                generate.setString(1, prompt);
                try (ResultSet row = generate.executeQuery()) {
                    row.next();
                    String answer = row.getString(1);
                    if (CacheDatabase.answer(prompt).equals(answer)) {
                        hits.incrementAndGet();
                    } else {
                        wrong.add(prompt + " -> " + answer);
                    }
                } catch (SQLException e) {
                    if ("57014".equals(e.getSQLState())) {
                        misses.incrementAndGet();
                    } else {
                        wrong.add(prompt + " -> " + e.getSQLState() + " " + e.getMessage());
                    }
                }
            }
        } catch (SQLException e) {
            wrong.add("reader failed: " + e.getMessage());
        }
    }

    void stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(10_000);
        }
    }

    long hits() {
        return hits.get();
    }

    long misses() {
        return misses.get();
    }

    List<String> wrong() {
        return List.copyOf(wrong);
    }
}
