package dev.steadytext.cli;

import dev.steadytext.models.ModelCache;
import dev.steadytext.models.ModelEntry;
import dev.steadytext.models.ModelFileException;
import dev.steadytext.models.ModelKind;
import dev.steadytext.models.ModelRegistry;
import dev.steadytext.models.ModelRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code steadytext models pull}: downloads models into the model cache (resumable, SHA-256 verified), printing each
 * model's path on stdout and the progress on stderr.
 */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {"Download models into the model cache: resumable, SHA-256 verified, written atomically.",
                "Without NAME or --size: the default model of every kind."})
final class ModelsPullCommand extends ModelCacheCommand {

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Registry names (steadytext models list).")
    List<String> names = new ArrayList<>();

    @Option(names = "--size", paramLabel = "SIZE", description = "The model chosen for this size: mini, small, large.")
    String size;

    @Option(names = "--kind", paramLabel = "KIND", defaultValue = "generation",
            description = "With --size: the kind (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--progress", paramLabel = "STYLE", defaultValue = "auto",
            description = "Progress display: " + DownloadDisplay.Style.SPELLINGS
                    + " (default: ${DEFAULT-VALUE}: a bar on a terminal, else lines).")
    String progress;

    @Override
    int run(ModelCache cache, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        DownloadDisplay.Style style = DownloadDisplay.Style.parse("--progress", progress);
        int failures = 0;
        for (ModelEntry entry : requested(cache.settings().registry())) {
            failures += pull(cache, entry, out, err, style) ? 0 : 1;
        }
        return failures == 0 ? 0 : ErrorReporter.FAILED;
    }

    private List<ModelEntry> requested(ModelRegistry registry) {
        if (size != null) {
            if (!names.isEmpty()) {
                throw new IllegalArgumentException("give either NAME or --size, not both");
            }
            return List.of(registry.resolve(ModelKind.parse("--kind", kind), ModelRequest.sized(size)));
        }
        if (names.isEmpty()) {
            List<ModelEntry> defaults = new ArrayList<>();
            for (ModelKind each : ModelKind.values()) {
                defaults.add(registry.defaultFor(each));
            }
            return defaults;
        }
        return names.stream().map(name -> ModelOptions.find(registry, name)).toList();
    }

    private static boolean pull(ModelCache cache, ModelEntry entry, PrintWriter out, PrintWriter err,
            DownloadDisplay.Style style) throws IOException, InterruptedException {
        switch (cache.state(entry)) {
            case BUNDLED -> {
                out.println(entry.name() + ": bundled (" + entry.source().describe() + "), nothing to download");
                return true;
            }
            case PRESENT -> {
                out.println(entry.name() + ": " + cache.location(entry).orElseThrow() + " (already here)");
                return true;
            }
            default -> {
                try {
                    Path file = cache.ensureAvailable(entry, new DownloadDisplay(err, style));
                    out.println(entry.name() + ": " + file);
                    return true;
                } catch (ModelFileException e) {
                    err.println("ERROR " + e.getMessage());
                    return false;
                }
            }
        }
    }
}
