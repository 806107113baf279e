package dev.steadytext.simulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's command line.
 *
 * @param events accesses per synthetic trace
 * @param keys keys in the synthetic traces' steady population; cache sizes are fractions of it
 * @param out the directory the CSV and the charts are written to
 * @param traceFiles recorded traces to replay besides the synthetic ones
 * @param entries whether to sweep budgets in entries
 * @param bytes whether to sweep budgets in bytes
 * @param accessIntervalMillis virtual time between two accesses
 * @param threads simulation threads
 * @param jmh whether to measure each policy's per-access cost with JMH afterwards
 * @param synthetic whether to replay the synthetic traces (else only the recorded ones)
 */
public record Options(long events, int keys, Path out, List<Path> traceFiles, boolean entries, boolean bytes,
        long accessIntervalMillis, int threads, boolean jmh, boolean synthetic) {

    static final String USAGE = """
            usage: java -jar simulator/target/steadytext-simulator.jar [options]
              --events N        accesses per synthetic trace (default 500000)
              --keys N          keys in the synthetic traces; cache sizes are 1% to 20% of them (default 100000)
              --out DIR         where results.csv and the SVG charts go (default docs/simulator)
              --trace-file F    also replay a recorded trace (CSV: key_hash,size_bytes,compute_millis); repeatable
              --bound B         entries, bytes or both (default both)
              --interval-ms N   virtual milliseconds between accesses, seen by frecency (default 50)
              --threads N       simulation threads (default: the number of processors)
              --no-jmh          skip the JMH measurement of each policy's per-access cost
              --no-synthetic    replay only the --trace-file traces (cache sizes are still fractions of --keys)
            """;

    public static Options parse(String... args) {
        long events = 500_000;
        int keys = 100_000;
        Path out = Path.of("docs", "simulator");
        List<Path> traceFiles = new ArrayList<>();
        String bound = "both";
        long interval = 50;
        int threads = Runtime.getRuntime().availableProcessors();
        boolean jmh = true;
        boolean synthetic = true;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--no-jmh")) {
                jmh = false;
                continue;
            }
            if (option.equals("--no-synthetic")) {
                synthetic = false;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + option + "\n" + USAGE);
            }
            String value = args[++i];
            switch (option) {
                case "--events" -> events = positive(option, value);
                case "--keys" -> keys = (int) Math.min(Integer.MAX_VALUE, positive(option, value));
                case "--out" -> out = Path.of(value);
                case "--trace-file" -> traceFiles.add(Path.of(value));
                case "--bound" -> bound = value;
                case "--interval-ms" -> interval = positive(option, value);
                case "--threads" -> threads = (int) Math.min(64, positive(option, value));
                default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
            }
        }
        if (!List.of("entries", "bytes", "both").contains(bound)) {
            throw new IllegalArgumentException("--bound must be entries, bytes or both: " + bound);
        }
        if (keys < 100) {
            throw new IllegalArgumentException("--keys must be at least 100: " + keys);
        }
        if (!synthetic && traceFiles.isEmpty()) {
            throw new IllegalArgumentException("--no-synthetic needs at least one --trace-file");
        }
        return new Options(events, keys, out, List.copyOf(traceFiles), !bound.equals("bytes"),
                !bound.equals("entries"), interval, threads, jmh, synthetic);
    }

    private static long positive(String option, String value) {
        try {
            long n = Long.parseLong(value);
            if (n < 1) {
                throw new IllegalArgumentException(option + " must be at least 1: " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number: " + value, e);
        }
    }
}
