package dev.steadytext.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {

    private final ModelRegistry registry = ModelRegistry.builtIn();

    @Test
    void builtIn_hasADefaultAndAModelPerSizeForEveryKind() {
        for (ModelKind kind : ModelKind.values()) {
            assertThat(registry.defaultFor(kind).kind()).isEqualTo(kind);
            for (ModelSize size : ModelSize.values()) {
                assertThat(registry.forSize(kind, size)).as(kind + " " + size)
                        .hasValueSatisfying(entry -> assertThat(entry.kind()).isEqualTo(kind));
            }
        }
    }

    @Test
    void builtIn_defaultsWorkOffline() {
        assertThat(registry.defaultFor(ModelKind.EMBEDDING).source()).isInstanceOf(ModelSource.Bundled.class);
        assertThat(registry.defaultFor(ModelKind.RERANKING).source()).isInstanceOf(ModelSource.Bundled.class);
        assertThat(registry.defaultFor(ModelKind.EMBEDDING).name()).isEqualTo("all-minilm-l6-v2");
    }

    @Test
    void entries_areListedByKindThenSizeThenName() {
        assertThat(registry.entries()).extracting(ModelEntry::name)
                .startsWith("gemma-mini-270m", "stories260k", "gemma-3-1b")
                .endsWith("qwen3-reranker-4b");
    }

    @Test
    void resolve_nothingGiven_isTheKindsDefault() {
        assertThat(registry.resolve(ModelKind.GENERATION, ModelRequest.DEFAULT).name()).isEqualTo("gemma-3-1b");
        assertThat(registry.resolve(ModelKind.GENERATION, new ModelRequest(" ", "", null, "")).name())
                .isEqualTo("gemma-3-1b");
    }

    @Test
    void resolve_modelName_isCaseInsensitive() {
        assertThat(registry.resolve(ModelKind.GENERATION, ModelRequest.named("Qwen3-4B")).name()).isEqualTo("qwen3-4b");
    }

    @Test
    void resolve_size_choosesThatSizesModel() {
        assertThat(registry.resolve(ModelKind.GENERATION, ModelRequest.sized("large")).name()).isEqualTo("gemma-3-4b");
        assertThat(registry.resolve(ModelKind.RERANKING, ModelRequest.sized("MINI")).name())
                .isEqualTo("bge-reranker-mini");
    }

    @Test
    void resolve_listedRepositoryAndFile_isTheRegistryModelWithItsChecksum() {
        ModelEntry entry = registry.resolve(ModelKind.GENERATION,
                ModelRequest.file("GGML-org/models-moved", "tinyllamas/stories260K.gguf"));

        assertThat(entry.name()).isEqualTo("stories260k");
        assertThat(entry.sha256()).isPresent();
    }

    @Test
    void resolve_unlistedRepositoryAndFile_isAModelWithoutChecksum() {
        ModelEntry entry = registry.resolve(ModelKind.EMBEDDING,
                ModelRequest.file("someone/Some-Model-GGUF", "some-model-Q8_0.gguf"));

        assertThat(entry.name()).isEqualTo("someone/some-model-gguf/some-model-q8_0.gguf");
        assertThat(entry.kind()).isEqualTo(ModelKind.EMBEDDING);
        assertThat(entry.source()).isEqualTo(new ModelSource.Remote("someone/Some-Model-GGUF", "some-model-Q8_0.gguf"));
        assertThat(entry.sha256()).isEmpty();
    }

    @Test
    void resolve_unlistedFileWhenUnlistedModelsAreOff_isAnErrorOnModelRepo() {
        ModelRegistry strict = ModelSettings.parse(Map.of("unlistedModels", "false"), java.nio.file.Path.of("/m"), "test")
                .registry();

        assertResolutionError(strict, ModelKind.GENERATION, ModelRequest.file("someone/x", "x.gguf"), "model_repo",
                "not in the model registry");
    }

    @Test
    void resolve_badArguments_nameTheArgumentAndSayWhatIsWrong() {
        assertResolutionError(registry, ModelKind.GENERATION, ModelRequest.named("no-such-model"), "model",
                "no generation model is named 'no-such-model'; known: gemma-mini-270m, stories260k, gemma-3-1b");
        assertResolutionError(registry, ModelKind.EMBEDDING, ModelRequest.named("gemma-3-1b"), "model",
                "'gemma-3-1b' is a generation model, not an embedding model");
        assertResolutionError(registry, ModelKind.GENERATION, ModelRequest.named("openai:gpt-4o-mini"), "model",
                "remote provider");
        assertResolutionError(registry, ModelKind.GENERATION, ModelRequest.sized("huge"), "size",
                "size: must be one of mini, small, large, got 'huge'");
        assertResolutionError(registry, ModelKind.GENERATION, new ModelRequest("gemma-3-1b", null, null, "large"),
                "size", "either model or size");
        assertResolutionError(registry, ModelKind.GENERATION, new ModelRequest(null, "ggml-org/x", null, null),
                "model_filename", "model_filename is required");
        assertResolutionError(registry, ModelKind.GENERATION, new ModelRequest(null, null, "x.gguf", null),
                "model_repo", "model_repo is required");
        assertResolutionError(registry, ModelKind.GENERATION, new ModelRequest("gemma-3-1b", "a/b", "c.gguf", null),
                "model", "either model or model_repo");
        assertResolutionError(registry, ModelKind.GENERATION, ModelRequest.file("not-a-repo", "x.gguf"), "model_repo",
                "'owner/name'");
    }

    @Test
    void resolve_fileNameEscapingTheCache_isRefused() {
        assertResolutionError(registry, ModelKind.GENERATION, ModelRequest.file("a/b", "../../../etc/passwd"),
                "model_filename", "must be a file name inside the repository");
        assertResolutionError(registry, ModelKind.GENERATION, ModelRequest.file("a/b", "/etc/passwd"),
                "model_filename", "must be a file name inside the repository");
        assertResolutionError(registry, ModelKind.GENERATION, ModelRequest.file("a/..", "x.gguf"),
                "model_repo", "'owner/name'");
    }

    private static void assertResolutionError(ModelRegistry registry, ModelKind kind, ModelRequest request,
            String argument, String message) {
        assertThatThrownBy(() -> registry.resolve(kind, request))
                .isInstanceOfSatisfying(ModelResolutionException.class,
                        e -> assertThat(e.argument()).isEqualTo(argument))
                .hasMessageContaining(message);
    }
}
