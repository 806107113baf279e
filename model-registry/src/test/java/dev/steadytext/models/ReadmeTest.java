package dev.steadytext.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The module README's registry table lists every built-in model with its kind, size and file. */
class ReadmeTest {

    @Test
    void registryTable_listsEveryBuiltInModel() throws IOException {
        String readme = Files.readString(Path.of("README.md"));

        for (ModelEntry entry : ModelRegistry.builtIn().entries()) {
            String row = readme.lines().filter(line -> line.startsWith("| `" + entry.name() + "` |")).findFirst()
                    .orElse("");
            assertThat(row).as("README row of " + entry.name())
                    .contains("| " + entry.kind().configName() + " |")
                    .contains("| " + entry.size().orElseThrow().configName() + " |")
                    .contains(entry.licence());
            if (entry.source() instanceof ModelSource.Remote remote) {
                assertThat(row).contains("`" + remote.repository() + "` / `" + remote.file() + "`");
            }
        }
    }
}
