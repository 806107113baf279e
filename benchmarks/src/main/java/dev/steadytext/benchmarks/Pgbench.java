package dev.steadytext.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code pgbench} client of the host (Debian's PostgreSQL 15 client works against the embedded 17): found on the
 * PATH, in {@code pg_config --bindir}, or under {@code /usr/lib/postgresql/<version>/bin}.
 */
final class Pgbench {

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern TRANSACTIONS = Pattern.compile("number of transactions actually processed: (\\d+)");
    private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");
    private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");

    private final Path executable;

    private Pgbench(Path executable) {
        this.executable = executable;
    }

    /** pgbench if this machine has it. */
    static Optional<Pgbench> find() {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "pgbench"));
            }
        }
        pgConfigBindir().ifPresent(dir -> candidates.add(dir.resolve("pgbench")));
        // Debian keeps the versioned client binaries here; the newest first.
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            versions.sorted(Comparator.comparing((Path p) -> versionNumber(p.getFileName().toString())).reversed())
                    .forEach(v -> candidates.add(v.resolve("bin/pgbench")));
        } catch (IOException e) {
            // not Debian's layout
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().map(Pgbench::new);
    }

    String version() {
        try {
            return run(List.of(executable.toString(), "--version")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * Runs one script for {@code seconds} with prepared statements, no vacuum, {@code clients} clients on
     * {@code threads} threads.
     */
    Outcome run(Path script, String database, int port, int clients, int threads, int seconds) throws IOException {
        String output = run(List.of(executable.toString(), "-h", "localhost", "-p", Integer.toString(port),
                "-U", BenchServer.USER, "-n", "-M", "prepared", "-c", Integer.toString(clients),
                "-j", Integer.toString(threads), "-T", Integer.toString(seconds), "-f", script.toString(), database));
        return new Outcome(number(TPS, output), (long) number(TRANSACTIONS, output),
                FAILED.matcher(output).find() ? (long) number(FAILED, output) : 0, number(LATENCY, output));
    }

    /** What pgbench reported. */
    record Outcome(double tps, long transactions, long failed, double latencyMillis) {

        /** Runs of equal length together: mean tps and latency, summed counts. */
        static Outcome combine(List<Outcome> runs) {
            return new Outcome(runs.stream().mapToDouble(Outcome::tps).average().orElse(Double.NaN),
                    runs.stream().mapToLong(Outcome::transactions).sum(), runs.stream().mapToLong(Outcome::failed).sum(),
                    runs.stream().mapToDouble(Outcome::latencyMillis).average().orElse(Double.NaN));
        }
    }

    private static double number(Pattern pattern, String output) {
        Matcher m = pattern.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("pgbench output has no " + pattern + ":\n" + output);
        }
        return Double.parseDouble(m.group(1));
    }

    private static String run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return output;
    }

    private static Optional<Path> pgConfigBindir() {
        try {
            return Optional.of(Path.of(run(List.of("pg_config", "--bindir")).strip()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static double versionNumber(String name) {
        try {
            return Double.parseDouble(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
