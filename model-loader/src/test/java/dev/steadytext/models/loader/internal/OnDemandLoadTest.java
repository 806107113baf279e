package dev.steadytext.models.loader.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.steadytext.backend.support.Sha256;
import dev.steadytext.models.DownloadProgress;
import dev.steadytext.models.ModelKind;
import dev.steadytext.models.ModelRequest;
import dev.steadytext.models.ModelSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnDemandLoadTest {

    @TempDir
    Path cache;

    private final RecordingBackends backends = new RecordingBackends();
    private final List<String> steps = new ArrayList<>();
    private final Progress progress = new Progress() {
        @Override
        public void step(String description) {
            steps.add(description);
        }

        @Override
        public void download(DownloadProgress download) {
            steps.add(download.phase().name());
        }
    };
    private final Map<String, String> config = new HashMap<>();

    @BeforeEach
    void configureATinyModel() {
        config.put("baseUrl", "http://127.0.0.1:9"); // never reached: these tests download nothing
        config.put("model.tiny.kind", "generation");
        config.put("model.tiny.repository", "test-org/tiny-stories");
        config.put("model.tiny.file", "tiny.gguf");
        config.put("size.generation.small", "tiny");
    }

    @Test
    void load_unknownName_failsWith22023ListingTheKnownNames() {
        LoadFailure failure = catchThrowableOfType(LoadFailure.class, () -> load(ModelRequest.named("nope"), true));

        assertThat(failure.sqlState()).isEqualTo("22023");
        assertThat(failure.getMessage()).contains("'nope'").contains("tiny").contains("gemma-3-1b");
        assertThat(backends.started).isEmpty();
    }

    @Test
    void load_modelServedUnderItsName_isTheAnswer_withoutFetchingOrLoadingAnything() throws Exception {
        LoadedModel served = new LoadedModel("tiny", "fp-tiny", "a".repeat(64), false);
        backends.generators.add(served);

        assertThat(load(ModelRequest.named("TINY"), false)).isEqualTo(served);
        assertThat(backends.started).isEmpty();
    }

    @Test
    void load_noModelArguments_startsTheRegistryDefault_asTheDefault() throws Exception {
        config.put("default.generation", "tiny");
        Path file = cachedFile("some GGUF bytes");

        LoadedModel loaded = load(ModelRequest.DEFAULT, false);

        assertThat(backends.started).containsExactly("tiny " + file + " as the default");
        assertThat(loaded.isDefault()).isTrue();
        assertThat(new LoadRequest(UUID.randomUUID(), ModelKind.GENERATION, ModelRequest.DEFAULT, false).describe())
                .isEqualTo("default generation model");
    }

    @Test
    void load_noModelArguments_whileADefaultIsServed_answersIt_andStartsNoSecond() throws Exception {
        config.put("default.generation", "tiny");
        cachedFile("some GGUF bytes");
        LoadedModel configured = new LoadedModel("configured", "fp-configured", "d".repeat(64), true);
        backends.generators.add(new LoadedModel("other", "fp-other", "e".repeat(64), false));
        backends.generators.add(configured);

        assertThat(load(ModelRequest.DEFAULT, false)).isEqualTo(configured);
        assertThat(backends.started).isEmpty();
    }

    @Test
    void load_fileInTheCache_startsLlamaCppWithIt_underTheRegistryName() throws Exception {
        Path file = cachedFile("some GGUF bytes");

        LoadedModel loaded = load(ModelRequest.sized("small"), false);

        assertThat(backends.started).containsExactly("tiny " + file);
        assertThat(loaded.name()).isEqualTo("tiny");
        assertThat(steps).contains("resolved to tiny", "loading into llama.cpp");
    }

    @Test
    void load_sameFileServedUnderAnotherName_isReused_defaultModelFirst() throws Exception {
        Path file = cachedFile("the default model's bytes");
        String sha = Sha256.of(file);
        backends.generators.add(new LoadedModel("copy", "fp-copy", sha, false));
        LoadedModel configured = new LoadedModel("stories260K", "fp-default", sha, true);
        backends.generators.add(configured);

        assertThat(load(ModelRequest.file("test-org/tiny-stories", "tiny.gguf"), false)).isEqualTo(configured);
        assertThat(backends.started).isEmpty();
    }

    @Test
    void load_anArchitectureTheBundledLlamaCppCannotLoad_failsBeforeDownloadingAnything() {
        LoadFailure generation = catchThrowableOfType(LoadFailure.class,
                () -> load(ModelRequest.named("qwen3-4b"), true));
        LoadFailure reranker = catchThrowableOfType(LoadFailure.class,
                () -> load(ModelKind.RERANKING, ModelRequest.sized("small"), true));

        assertThat(generation.sqlState()).isEqualTo("P0001");
        assertThat(generation.getMessage()).contains("qwen3-4b").contains("architecture qwen3")
                .contains("nothing was downloaded");
        assertThat(reranker.getMessage()).contains("qwen3-reranker-0.6b").contains("architecture qwen3");
        assertThat(steps).doesNotContain("CONNECTING", "TRANSFERRING");
        assertThat(cache).isEmptyDirectory();
        assertThat(backends.started).isEmpty();
    }

    @Test
    void load_missingFile_withoutTheRightToDownload_isRefusedSayingWhereToPlaceIt() {
        LoadFailure failure = catchThrowableOfType(LoadFailure.class, () -> load(ModelRequest.named("tiny"), false));

        assertThat(failure.downloadRefused()).isTrue();
        assertThat(failure.sqlState()).isEqualTo("P0001");
        assertThat(failure.getMessage()).contains("allow_model_downloads_from_sql")
                .contains(cache.resolve("test-org/tiny-stories/tiny.gguf").toString())
                .contains("http://127.0.0.1:9/test-org/tiny-stories/resolve/main/tiny.gguf")
                .contains("steadytext models pull tiny");
    }

    @Test
    void load_missingFile_downloadsForbiddenByConfiguration_failsWithTheCachesMessage() {
        config.put("downloads", "false");

        LoadFailure failure = catchThrowableOfType(LoadFailure.class, () -> load(ModelRequest.named("tiny"), true));

        assertThat(failure.downloadRefused()).as("no caller could change this").isFalse();
        assertThat(failure.getMessage()).contains("downloads are forbidden")
                .contains(cache.resolve("test-org/tiny-stories/tiny.gguf").toString());
    }

    @Test
    void load_ggufEmbeddingModel_failsSayingThePlatformHasNoBackendForIt() {
        LoadFailure failure = catchThrowableOfType(LoadFailure.class,
                () -> load(ModelKind.EMBEDDING, ModelRequest.named("nomic-embed-text-v1.5"), true));

        assertThat(failure.getMessage()).startsWith("model nomic-embed-text-v1.5 is an embedding model in GGUF format")
                .contains("no backend for GGUF embedding models").contains("ONNX");
        assertThat(backends.started).isEmpty();
    }

    @Test
    void load_ggufRerankerInTheCache_startsLlamaCppsRerankerWithIt() throws Exception {
        config.put("model.tiny-ranker.kind", "reranking");
        config.put("model.tiny-ranker.repository", "test-org/tiny-stories");
        config.put("model.tiny-ranker.file", "tiny.gguf");
        Path file = cachedFile("some GGUF reranker bytes");

        LoadedModel loaded = load(ModelKind.RERANKING, ModelRequest.named("tiny-ranker"), false);

        assertThat(backends.started).containsExactly("reranker tiny-ranker " + file);
        assertThat(loaded.name()).isEqualTo("tiny-ranker");
    }

    @Test
    void load_rerankerServedUnderItsName_isTheAnswer() throws Exception {
        LoadedModel served = new LoadedModel("qwen3-reranker-0.6b", "fp-ranker", "d".repeat(64), false);
        backends.rerankers.add(served);

        assertThat(load(ModelKind.RERANKING, ModelRequest.sized("small"), false)).isEqualTo(served);
        assertThat(backends.started).isEmpty();
    }

    @Test
    void load_onnxCrossEncoderNotServed_failsSayingToConfigureIt() {
        config.put("model.onnx-ranker.kind", "reranking");
        config.put("model.onnx-ranker.repository", "test-org/onnx-ranker");
        config.put("model.onnx-ranker.file", "model.onnx");

        LoadFailure failure = catchThrowableOfType(LoadFailure.class,
                () -> load(ModelKind.RERANKING, ModelRequest.named("onnx-ranker"), true));

        assertThat(failure.getMessage()).startsWith("model onnx-ranker is a reranking model")
                .contains("only GGUF generation and reranker models load on demand")
                .contains("dev.steadytext.backend.onnx.crossencoder.cfg");
        assertThat(backends.started).isEmpty();
    }

    @Test
    void load_bundledEmbeddingModel_isTheOneTheOnnxBackendServes() throws Exception {
        LoadedModel onnx = new LoadedModel("all-MiniLM-L6-v2", "fp-minilm", "b".repeat(64), true);
        backends.embedders.add(onnx);

        assertThat(load(ModelKind.EMBEDDING, ModelRequest.named("all-minilm-l6-v2"), false)).isEqualTo(onnx);
    }

    @Test
    void load_generationModelOfAnotherKind_failsWith22023() {
        LoadFailure failure = catchThrowableOfType(LoadFailure.class,
                () -> load(ModelRequest.named("all-minilm-l6-v2"), true));

        assertThat(failure.sqlState()).isEqualTo("22023");
        assertThat(failure.getMessage()).contains("is an embedding model, not a generation model");
    }

    private Path cachedFile(String content) throws Exception {
        Path file = cache.resolve("test-org/tiny-stories/tiny.gguf");
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private LoadedModel load(ModelRequest arguments, boolean mayDownload) throws Exception {
        return load(ModelKind.GENERATION, arguments, mayDownload);
    }

    private LoadedModel load(ModelKind kind, ModelRequest arguments, boolean mayDownload) throws Exception {
        ModelSettings settings = ModelSettings.parse(config, cache, "test configuration");
        return new OnDemandLoad(backends).load(new LoadRequest(UUID.randomUUID(), kind, arguments, mayDownload),
                settings, progress);
    }

    /** Backends that serve what the test puts in and record what the loader starts. */
    private static final class RecordingBackends implements Backends {

        final List<LoadedModel> generators = new ArrayList<>();
        final List<LoadedModel> embedders = new ArrayList<>();
        final List<LoadedModel> rerankers = new ArrayList<>();
        final List<String> started = new ArrayList<>();

        @Override
        public List<LoadedModel> generators() {
            return generators;
        }

        @Override
        public List<LoadedModel> embedders() {
            return embedders;
        }

        @Override
        public List<LoadedModel> rerankers() {
            return rerankers;
        }

        @Override
        public LoadedModel startGenerator(String name, Path file, boolean isDefault) {
            started.add(name + " " + file + (isDefault ? " as the default" : ""));
            return new LoadedModel(name, "fp-" + name, "c".repeat(64), isDefault);
        }

        @Override
        public LoadedModel startReranker(String name, Path file) {
            started.add("reranker " + name + " " + file);
            return new LoadedModel(name, "fp-" + name, "e".repeat(64), false);
        }

        @Override
        public LoadedModel awaitRegistered(LoadedModel model) {
            return model;
        }
    }
}
