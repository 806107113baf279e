package dev.steadytext.simulator;

import dev.steadytext.simulator.jmh.PolicyOverheadBenchmark;
import dev.steadytext.simulator.parser.CsvTraceReader;
import dev.steadytext.simulator.parser.SyntheticTrace;
import dev.steadytext.simulator.parser.TraceReader;
import dev.steadytext.simulator.policy.Budget;
import dev.steadytext.simulator.report.CsvReport;
import dev.steadytext.simulator.report.Results;
import dev.steadytext.simulator.report.Summary;
import dev.steadytext.simulator.report.SvgChart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hit-rate simulator: replays synthetic (and recorded) traces through every registered policy for a sweep of
 * cache sizes, writes {@code results.csv} and one SVG chart per kind of budget, prints the tables and the goals, and
 * then measures each policy's per-access cost with JMH.
 *
 * <p>Run from the repository root: {@code java -jar simulator/target/steadytext-simulator.jar}; {@code --help} lists
 * the options. See docs/simulator/README.md for what the figures mean.
 */
public final class Simulator {

    /** The sizes swept, as fractions of the synthetic traces' key population. */
    private static final double[] CACHE_FRACTIONS = {0.01, 0.025, 0.05, 0.10, 0.20};
    /** A budget in bytes is the budget in entries times the mean entry size of the synthetic traces, about 1.6 KB. */
    static final long BYTES_PER_ENTRY = 1_600;
    private static final long SEED = 20_240_415;

    private Simulator() {
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.print(Options.USAGE);
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        long start = System.nanoTime();
        List<Trace> traces = new ArrayList<>();
        for (TraceReader reader : traceReaders(options)) {
            traces.add(Trace.read(reader));
        }
        for (Trace trace : traces) {
            System.out.printf(Locale.ROOT, "trace %-10s %,d accesses, %,d keys%n", trace.name(), trace.events().length,
                    trace.distinctKeys());
        }
        List<Result> runs = Simulation.sweep(traces, budgets(options), Registry.policies(),
                options.accessIntervalMillis(), options.threads());
        Results results = new Results(runs);

        Files.createDirectories(options.out());
        CsvReport.write(results, options.out().resolve("results.csv"));
        Summary summary = new Summary(results, System.out);
        for (Budget.Bound bound : Budget.Bound.values()) {
            if (!results.budgets(bound).isEmpty()) {
                String name = bound.name().toLowerCase(Locale.ROOT);
                SvgChart.write(results, bound, "Eviction policies, budget in " + name + " (x: cache size)",
                        options.out().resolve("hit-rates-" + name + ".svg"));
                summary.printTables(bound);
            }
        }
        summary.printGoals();
        System.out.printf(Locale.ROOT, "%nsimulated %d runs in %.1f s; wrote %s%n", runs.size(),
                (System.nanoTime() - start) / 1e9, options.out().toAbsolutePath().normalize());

        if (options.jmh()) {
            System.out.printf("%n== Per-access cost of each policy (JMH) ==%n");
            PolicyOverheadBenchmark.runAll();
        }
    }

    static List<TraceReader> traceReaders(Options options) {
        int keys = options.keys();
        long events = options.events();
        List<TraceReader> readers = new ArrayList<>();
        if (options.synthetic()) {
            for (double skew : new double[] {0.6, 0.8, 1.0, 1.2}) {
                readers.add(SyntheticTrace.zipf(keys, skew, events, SEED));
            }
            readers.add(SyntheticTrace.scanPollutedZipf(keys, events, keys / 5, keys * 6 / 100, SEED));
            readers.add(SyntheticTrace.loop(keys * 15 / 100, keys, events, SEED));
        }
        for (Path file : options.traceFiles()) {
            readers.add(new CsvTraceReader(file));
        }
        return readers;
    }

    static List<Budget> budgets(Options options) {
        List<Budget> budgets = new ArrayList<>();
        if (options.entries()) {
            for (double fraction : CACHE_FRACTIONS) {
                budgets.add(Budget.entries(Math.round(options.keys() * fraction)));
            }
        }
        if (options.bytes()) {
            for (double fraction : CACHE_FRACTIONS) {
                budgets.add(Budget.bytes(Math.round(options.keys() * fraction) * BYTES_PER_ENTRY));
            }
        }
        return budgets;
    }
}
