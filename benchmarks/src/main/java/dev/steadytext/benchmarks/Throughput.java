package dev.steadytext.benchmarks;

/** Repeats a unit of work until a time budget is spent and reports items per second. */
final class Throughput {

    /** One round of work; returns how many items it handled. */
    @FunctionalInterface
    interface Round {
        long run() throws Exception;
    }

    private Throughput() {}

    /** Runs whole rounds until {@code seconds} have passed (at least {@code minRounds}); items per second. */
    static double measure(Round round, double seconds, int minRounds) throws Exception {
        long budget = (long) (seconds * 1e9);
        long items = 0;
        int rounds = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            items += round.run();
            rounds++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < budget || rounds < minRounds);
        return items / (elapsed / 1e9);
    }
}
