package dev.steadytext.cli;

import dev.steadytext.models.DownloadProgress;
import dev.steadytext.models.ModelCache;
import dev.steadytext.models.ModelEntry;
import dev.steadytext.models.ModelKind;
import dev.steadytext.models.ModelRegistry;
import dev.steadytext.models.ModelSettings;
import dev.steadytext.models.ModelSize;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code steadytext models list}: every model of the registry, and whether its file is here. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the registry's models: kind, size, whether the file is here, size in bytes, licence, source.")
final class ModelsListCommand extends ModelCacheCommand {

    @Option(names = "--kind", paramLabel = "KIND", description = "Only models of this kind: generation, embedding, reranking.")
    String kind;

    @Override
    int run(ModelCache cache, PrintWriter out, PrintWriter err) {
        ModelSettings settings = cache.settings();
        ModelRegistry registry = settings.registry();
        ModelKind only = kind == null ? null : ModelKind.parse("--kind", kind);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "KIND", "SIZE", "CHOSEN", "STATE", "BYTES", "LICENCE", "SOURCE"});
        for (ModelEntry entry : registry.entries()) {
            if (only == null || entry.kind() == only) {
                rows.add(new String[] {entry.name(), entry.kind().configName(),
                        entry.size().map(ModelSize::configName).orElse("-"), chosen(registry, entry),
                        cache.state(entry).name().toLowerCase(Locale.ROOT),
                        entry.bytes().isPresent() ? DownloadProgress.formatBytes(entry.bytes().getAsLong()) : "-",
                        entry.licence().isEmpty() ? "-" : entry.licence(), entry.source().describe()});
            }
        }
        printTable(out, rows);
        out.println();
        out.println("model cache: " + settings.cacheDirectory() + (settings.downloadsAllowed()
                ? " (downloads allowed from " + settings.baseUrl() + ")" : " (downloads forbidden)"));
        return 0;
    }

    /** "default" for a kind's default model, the sizes it is chosen for, or "-". */
    private static String chosen(ModelRegistry registry, ModelEntry entry) {
        List<String> roles = new ArrayList<>();
        if (registry.defaultFor(entry.kind()).equals(entry)) {
            roles.add("default");
        }
        for (ModelSize size : ModelSize.values()) {
            if (registry.forSize(entry.kind(), size).filter(entry::equals).isPresent()) {
                roles.add(size.configName());
            }
        }
        return roles.isEmpty() ? "-" : String.join(",", roles);
    }

    private static void printTable(PrintWriter out, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format(Locale.ROOT, "%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
