package dev.steadytext.cli;

import dev.steadytext.models.ModelCache;
import dev.steadytext.models.ModelEntry;
import dev.steadytext.models.ModelFileException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code steadytext models remove}: deletes downloaded model files from the model cache. */
@Command(name = "remove", mixinStandardHelpOptions = true,
        description = "Delete downloaded model files (with partial downloads and recorded checksums) from the model cache.")
final class ModelsRemoveCommand extends ModelCacheCommand {

    @Parameters(paramLabel = "NAME", arity = "1..*", description = "Registry names (steadytext models list).")
    List<String> names;

    @Override
    int run(ModelCache cache, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        boolean allRemovable = true;
        List<ModelEntry> entries = names.stream()
                .map(name -> ModelOptions.find(cache.settings().registry(), name)).toList();
        for (ModelEntry entry : entries) {
            String file = cache.location(entry).map(Object::toString).orElse("");
            try {
                out.println(entry.name() + (cache.remove(entry) ? ": removed " + file : ": not in the cache"));
            } catch (ModelFileException e) {
                err.println("ERROR " + e.getMessage());
                allRemovable = false;
            }
        }
        return allRemovable ? 0 : ErrorReporter.FAILED;
    }
}
