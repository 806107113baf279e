package dev.steadytext.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The one command that measures every figure of docs/benchmarks.md and prints the report:
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java --enable-native-access=ALL-UNNAMED -jar benchmarks/target/steadytext-benchmarks.jar [figure...]
 * </pre>
 *
 * <p>It starts one embedded PostgreSQL 17 with a fresh database per figure group (schema installed), then runs each
 * group in a JVM of its own ({@link FigureProcess}) and prints a Markdown report on standard output; progress goes to
 * standard error. Every figure is a ratio against a reference measured in the same run, or an absolute goal where the
 * issue sets one.
 */
public final class Benchmarks {

    private static final String MARKER = ".steadytext-benchmarks";
    /** Held so the setting sticks (JUL keeps loggers weakly): Liquibase reports every change set at INFO. */
    private static final java.util.logging.Logger LIQUIBASE = java.util.logging.Logger.getLogger("liquibase");

    private Benchmarks() {}

    public static void main(String[] args) {
        int status;
        LIQUIBASE.setLevel(java.util.logging.Level.WARNING);
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println((e.getMessage().isEmpty() ? "" : e.getMessage() + "\n") + Options.USAGE);
            System.exit(2);
            return;
        }
        try {
            status = run(options);
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private static int run(Options options) throws Exception {
        long start = System.currentTimeMillis();
        String loadAtStart = MachineInfo.loadAverage();
        boolean loaded = MachineInfo.oneMinuteLoad() > MachineInfo.cores() / 2.0;
        prepareWorkDir(options.workDir());
        String pgbench = Pgbench.find().map(Pgbench::version).orElse("pgbench not found");
        List<Result> results = new ArrayList<>();
        String postgres;
        try (BenchServer server = BenchServer.start(options.workDir().resolve("postgres"),
                options.workDir().resolve("postgres.log"))) {
            postgres = server.version();
            System.err.println("PostgreSQL " + postgres + " on port " + server.port() + "; work directory "
                    + options.workDir());
            for (Figure.Group group : Figure.Group.values()) {
                Set<Figure> figures = options.figuresOf(group);
                if (!figures.isEmpty()) {
                    results.addAll(runGroup(options, server, group, figures));
                }
            }
        }
        String loadAtEnd = MachineInfo.loadAverage();
        loaded |= MachineInfo.oneMinuteLoad() > MachineInfo.cores() / 2.0;
        Report.print(System.out, new Report.Machine(postgres, pgbench, loadAtStart, loadAtEnd, loaded), results,
                options, System.currentTimeMillis() - start);
        return 0;
    }

    private static List<Result> runGroup(Options options, BenchServer server, Figure.Group group, Set<Figure> figures)
            throws Exception {
        String database = "bench_" + group.name().toLowerCase(Locale.ROOT);
        System.err.println("== " + group.name().toLowerCase(Locale.ROOT) + ": "
                + String.join(", ", figures.stream().map(Figure::id).toList()));
        String jdbcUrl = server.createWithSchema(database, line -> { });
        Map<String, String> settings = Map.of("group", group.name(), "jdbc-url", jdbcUrl, "database", database,
                "port", Integer.toString(server.port()));
        List<Result> results = new ArrayList<>();
        // The ready figure restarts: an empty home first, then the same home again, each in a fresh JVM.
        List<String> phases = group == Figure.Group.READY ? List.of("cold", "warm") : List.of("");
        for (String phase : phases) {
            Map<String, String> phaseSettings = new java.util.LinkedHashMap<>(settings);
            if (!phase.isEmpty()) {
                phaseSettings.put("phase", phase);
            }
            results.addAll(ChildJvm.run(options.childArguments(figures, phaseSettings), options.workDir()));
        }
        for (Figure figure : figures) {
            if (results.stream().noneMatch(r -> r.figure().equals(figure.id()))) {
                results.add(Result.skipped(figure.id(), "failed: see the figure process's output above"));
            }
        }
        return results;
    }

    /** Empties the work directory of an earlier run; refuses a directory this program did not create. */
    private static void prepareWorkDir(Path dir) throws IOException {
        if (Files.exists(dir)) {
            if (!Files.exists(dir.resolve(MARKER))) {
                try (Stream<Path> entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalArgumentException(dir + " is not empty and not a benchmark work directory;"
                                + " choose another --work");
                    }
                }
            }
            try (Stream<Path> tree = Files.walk(dir)) {
                for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        Files.createFile(dir.resolve(MARKER));
    }
}
