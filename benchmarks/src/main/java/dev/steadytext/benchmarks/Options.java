package dev.steadytext.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options, shared by the launcher and the figure processes it starts.
 *
 * <p>Relative defaults are resolved against the project root (the directory above {@code benchmarks/}), found from
 * this jar's location, so the command works from any directory and no machine path is written anywhere.
 *
 * @param figures the figures to measure, in report order
 * @param modelsDir holds {@code stories260K.gguf}
 * @param bundlesDir the platform's runtime bundles
 * @param workDir scratch space: the embedded PostgreSQL's data, platform homes, pgbench scripts
 * @param tracesDir where the trace figure writes the recorded traces
 * @param seconds the length of each timed run (pgbench {@code -T}, throughput loops)
 * @param child for a figure process: its group and database, else empty
 */
record Options(Set<Figure> figures, Path modelsDir, Path bundlesDir, Path workDir, Path tracesDir, int seconds,
        Map<String, String> child) {

    static final String USAGE = """
            usage: java --enable-native-access=ALL-UNNAMED -jar benchmarks/target/steadytext-benchmarks.jar \\
                       [--models DIR] [--bundles DIR] [--work DIR] [--traces DIR] [--seconds N] [figure...]
              figures (default all): %s
              --models   directory holding stories260K.gguf (default ../shared/models from the project root)
              --bundles  the platform's bundles (default benchmarks/target/bundles, copied from the distribution)
              --work     scratch directory (default benchmarks/target/bench-work, emptied first)
              --traces   where the trace figure writes its CSVs (default traces/ in the scratch directory;
                         docs/simulator/traces replaces the simulator's committed ones)
              --seconds  length of each timed run, pgbench -T (default 15)
            """.formatted(Figure.ids());

    static Options parse(String[] args) {
        Path root = ProjectRoot.find();
        Set<Figure> figures = EnumSet.noneOf(Figure.class);
        Path models = root.resolve("../shared/models");
        Path bundles = root.resolve("benchmarks/target/bundles");
        Path work = root.resolve("benchmarks/target/bench-work");
        Path traces = null;
        int seconds = 15;
        Map<String, String> child = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String arg = rest.remove(0);
            switch (arg) {
                case "--models" -> models = Path.of(value(arg, rest));
                case "--bundles" -> bundles = Path.of(value(arg, rest));
                case "--work" -> work = Path.of(value(arg, rest));
                case "--traces" -> traces = Path.of(value(arg, rest));
                case "--seconds" -> seconds = Integer.parseInt(value(arg, rest));
                case "-h", "--help" -> throw new IllegalArgumentException("");
                default -> {
                    if (arg.startsWith("--child.")) {
                        child.put(arg.substring("--child.".length()), value(arg, rest));
                    } else if (arg.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    } else {
                        figures.addAll(Figure.parseList(arg));
                    }
                }
            }
        }
        if (figures.isEmpty()) {
            figures = EnumSet.allOf(Figure.class);
        }
        if (seconds < 1) {
            throw new IllegalArgumentException("--seconds must be at least 1");
        }
        Path workDir = work.toAbsolutePath().normalize();
        return new Options(figures, models.toAbsolutePath().normalize(), bundles.toAbsolutePath().normalize(), workDir,
                (traces == null ? workDir.resolve("traces") : traces).toAbsolutePath().normalize(), seconds,
                Map.copyOf(child));
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return rest.remove(0);
    }

    /** The options a figure process gets: the same paths, plus its group's settings. */
    List<String> childArguments(Set<Figure> groupFigures, Map<String, String> settings) {
        List<String> out = new ArrayList<>(List.of("--models", modelsDir.toString(), "--bundles", bundlesDir.toString(),
                "--work", workDir.toString(), "--traces", tracesDir.toString(), "--seconds", Integer.toString(seconds)));
        settings.forEach((key, value) -> out.addAll(List.of("--child." + key, value)));
        out.add(String.join(",", groupFigures.stream().map(Figure::id).toList()));
        return out;
    }

    String childSetting(String key) {
        String value = child.get(key);
        if (value == null) {
            throw new IllegalStateException("figure process started without --child." + key);
        }
        return value;
    }

    Set<Figure> figuresOf(Figure.Group group) {
        Set<Figure> selected = EnumSet.noneOf(Figure.class);
        figures.stream().filter(f -> f.group() == group).forEach(selected::add);
        return selected;
    }
}
