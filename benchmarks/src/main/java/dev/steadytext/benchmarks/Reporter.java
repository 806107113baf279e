package dev.steadytext.benchmarks;

import java.io.PrintStream;

/**
 * Where a figure process sends its rows and progress: rows to standard output for the launcher to collect,
 * progress to standard error for the person watching.
 */
final class Reporter {

    private final PrintStream rows = System.out;
    private final PrintStream progress = System.err;

    void result(Result result) {
        rows.println(result.toLine());
        rows.flush();
        progress("  " + result.metric() + ": " + Result.format(result.value())
                + (result.hasReference() ? " (reference " + Result.format(result.reference()) + ", ratio "
                        + Result.format(result.ratio()) + ")" : "")
                + (result.verdict().isEmpty() ? "" : " " + result.goal().display() + " " + result.verdict()));
    }

    void progress(String line) {
        progress.println(line);
        progress.flush();
    }
}
