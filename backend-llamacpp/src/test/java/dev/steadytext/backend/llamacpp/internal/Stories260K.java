package dev.steadytext.backend.llamacpp.internal;

import static org.junit.jupiter.api.Assertions.fail;

import dev.steadytext.backend.support.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared tiny test model, found through the {@code steadytext.shared.dir} system property and checked. */
final class Stories260K {

    static final String SHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";

    private Stories260K() {}

    static Path path() {
        String shared = System.getProperty("steadytext.shared.dir");
        if (shared == null || shared.isBlank()) {
            fail("system property steadytext.shared.dir is not set; run the ITs through Maven (failsafe sets it)"
                    + " or pass -Dsteadytext.shared.dir=<project>/../shared");
        }
        Path model = Path.of(shared, "models", "stories260K.gguf");
        if (!Files.isRegularFile(model)) {
            fail("test model " + model + " is missing; see shared/models/README.md");
        }
        try {
            String actual = Sha256.of(model);
            if (!actual.equals(SHA256)) {
                fail("test model " + model + " has sha256 " + actual + ", expected " + SHA256 + "; restore the file");
            }
        } catch (IOException e) {
            fail("cannot read test model " + model + ": " + e.getMessage());
        }
        return model;
    }

    /** A native directory private to this test JVM, under target/. */
    static Path nativeDir() throws IOException {
        return Files.createDirectories(Path.of("target", "it-native", "llamacpp"));
    }
}
