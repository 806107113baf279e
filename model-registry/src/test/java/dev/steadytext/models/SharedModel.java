package dev.steadytext.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real tiny model of the shared test data, found through the {@code steadytext.shared.dir} system property. */
final class SharedModel {

    private SharedModel() {}

    /** The bytes of {@code models/stories260K.gguf}; the registry's own checksum of it vouches for them. */
    static byte[] stories260kBytes() throws IOException {
        String shared = System.getProperty("steadytext.shared.dir");
        assertThat(shared).as("system property steadytext.shared.dir (set by the module's surefire configuration)")
                .isNotBlank();
        Path model = Path.of(shared, "models", "stories260K.gguf");
        assertThat(model).as("the shared test model; see shared/models/README.md").isRegularFile();
        byte[] bytes = Files.readAllBytes(model);
        assertThat(dev.steadytext.backend.support.Sha256.of(new java.io.ByteArrayInputStream(bytes)))
                .as("SHA-256 of " + model)
                .isEqualTo(ModelRegistry.builtIn().find("stories260k").orElseThrow().sha256().orElseThrow());
        return bytes;
    }
}
