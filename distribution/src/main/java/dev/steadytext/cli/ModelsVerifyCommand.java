package dev.steadytext.cli;

import dev.steadytext.models.ModelCache;
import dev.steadytext.models.ModelEntry;
import dev.steadytext.models.ModelRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code steadytext models verify}: re-reads model files and checks their SHA-256. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Re-read model files and compare their SHA-256 with the registry's (or the one recorded at download).",
                "Without NAME: every model whose file is here. Exit code 1 if a file is damaged or a named one is missing."})
final class ModelsVerifyCommand extends ModelCacheCommand {

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Registry names (steadytext models list).")
    List<String> names = new ArrayList<>();

    @Override
    int run(ModelCache cache, PrintWriter out, PrintWriter err) throws IOException {
        boolean allGood = true;
        ModelRegistry registry = cache.settings().registry();
        List<ModelEntry> entries = names.isEmpty()
                ? registry.entries().stream().filter(e -> cache.state(e) == ModelCache.State.PRESENT).toList()
                : names.stream().map(name -> ModelOptions.find(registry, name)).toList();
        if (entries.isEmpty()) {
            out.println("no model files here (" + cache.settings().cacheDirectory() + ")");
        }
        for (ModelEntry entry : entries) {
            ModelCache.Verification result = cache.verify(entry);
            String file = result.file().map(Object::toString).orElse("");
            String actual = result.actualSha256().orElse("");
            String expected = result.expectedSha256().orElse("");
            switch (result.status()) {
                case OK -> out.println(entry.name() + ": ok, " + file + " (sha256 " + actual + ")");
                case UNCHECKED -> out.println(entry.name() + ": " + file + " has sha256 " + actual
                        + "; no known checksum to compare with");
                case NO_FILE -> out.println(entry.name() + ": " + entry.source().describe() + ", no file to verify");
                case MISSING -> {
                    out.println(entry.name() + ": missing, " + file);
                    allGood = false;
                }
                case MISMATCH -> {
                    out.println(entry.name() + ": DAMAGED, " + file + " has sha256 " + actual + " instead of "
                            + expected + "; remove it (steadytext models remove " + entry.name()
                            + ") and pull it again");
                    allGood = false;
                }
            }
        }
        return allGood ? 0 : ErrorReporter.FAILED;
    }
}
