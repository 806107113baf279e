package dev.steadytext.benchmarks;

import java.io.PrintStream;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The run's report in Markdown, ready to paste into docs/benchmarks.md: the machine, then a table per figure. */
final class Report {

    private Report() {}

    record Machine(String postgres, String pgbench, String loadAtStart, String loadAtEnd, boolean loaded) {}

    static void print(PrintStream out, Machine machine, List<Result> results, Options options, long elapsedMillis) {
        out.println("# SteadyText benchmark run, " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        out.println();
        if (machine.loaded()) {
            out.println("**Preliminary: other work was running (load average above half the cores), so absolute"
                    + " numbers are low and noisy; the ratios are from the same run and are the figures to read.**");
            out.println();
        }
        out.println("- CPU: " + MachineInfo.cpuModel() + ", " + MachineInfo.cores() + " cores available to the JVM");
        out.println("- Memory: " + MachineInfo.memory() + "; kernel " + MachineInfo.kernel().orElse("unknown"));
        out.println("- Load average (1, 5, 15 min): " + machine.loadAtStart() + " at start, " + machine.loadAtEnd()
                + " at end");
        out.println("- JDK: " + MachineInfo.jdk());
        out.println("- PostgreSQL: " + machine.postgres() + " (embedded, zonky defaults); client: " + machine.pgbench());
        out.println("- Timed runs of " + options.seconds() + " s; whole run " + elapsedMillis / 1000 + " s");
        for (Figure figure : Figure.values()) {
            List<Result> rows = results.stream().filter(r -> r.figure().equals(figure.id())).toList();
            if (rows.isEmpty()) {
                continue;
            }
            out.println();
            out.println("## " + figure.id() + ": " + figure.description());
            out.println();
            out.println("| metric | value | reference | ratio | goal | result | method |");
            out.println("|---|---:|---:|---:|---|---|---|");
            for (Result r : rows) {
                out.println("| " + r.metric() + " | " + Result.format(r.value()) + " | " + Result.format(r.reference())
                        + " | " + Result.format(r.ratio()) + " | " + goal(r) + " | " + r.verdict() + " | "
                        + r.note().replace("|", "\\|") + " |");
            }
        }
    }

    private static String goal(Result r) {
        if (r.goal().isNone()) {
            return "";
        }
        return (r.hasReference() ? "ratio " : "") + r.goal().display();
    }
}
