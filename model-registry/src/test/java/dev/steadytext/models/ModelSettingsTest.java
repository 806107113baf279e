package dev.steadytext.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSettingsTest {

    private static final Path CACHE = Path.of("/var/cache/steadytext-models");

    @TempDir
    Path conf;

    @Test
    void defaults_allowDownloadsFromHuggingFaceIntoTheGivenDirectory() {
        ModelSettings settings = ModelSettings.defaults(CACHE);

        assertThat(settings.downloadsAllowed()).isTrue();
        assertThat(settings.baseUrl()).isEqualTo(URI.create("https://huggingface.co"));
        assertThat(settings.cacheDirectory()).isEqualTo(CACHE);
        assertThat(settings.requireChecksum()).isTrue();
    }

    @Test
    void parse_settingsAndModels_areRead() {
        ModelSettings settings = parse(Map.ofEntries(
                Map.entry("downloads", "false"),
                Map.entry("baseUrl", "https://mirror.example/hf/"),
                Map.entry("cacheDirectory", "/srv/models"),
                Map.entry("model.my-llama.kind", "generation"),
                Map.entry("model.my-llama.path", "/srv/llama/my-llama.gguf"),
                Map.entry("model.tiny-coder.kind", "generation"),
                Map.entry("model.tiny-coder.size", "mini"),
                Map.entry("model.tiny-coder.repository", "someone/Tiny-Coder-GGUF"),
                Map.entry("model.tiny-coder.file", "tiny-coder-Q8_0.gguf"),
                Map.entry("default.generation", "my-llama"),
                Map.entry("size.generation.mini", "tiny-coder")));

        assertThat(settings.downloadsAllowed()).isFalse();
        assertThat(settings.baseUrl()).isEqualTo(URI.create("https://mirror.example/hf/"));
        assertThat(settings.cacheDirectory()).isEqualTo(Path.of("/srv/models"));
        ModelRegistry registry = settings.registry();
        assertThat(registry.defaultFor(ModelKind.GENERATION).source())
                .isEqualTo(new ModelSource.Local(Path.of("/srv/llama/my-llama.gguf")));
        assertThat(registry.resolve(ModelKind.GENERATION, ModelRequest.sized("mini")).source())
                .isEqualTo(new ModelSource.Remote("someone/Tiny-Coder-GGUF", "tiny-coder-Q8_0.gguf"));
        assertThat(registry.find("gemma-3-1b")).as("built-ins stay").isPresent();
    }

    @Test
    void parse_builtInGivenAPath_dropsItsRepositoryAndChecksumButKeepsTheRest() {
        ModelRegistry registry = parse(Map.of("model.gemma-3-1b.path", "/models/gemma.gguf")).registry();

        ModelEntry entry = registry.find("gemma-3-1b").orElseThrow();
        assertThat(entry.source()).isEqualTo(new ModelSource.Local(Path.of("/models/gemma.gguf")));
        assertThat(entry.sha256()).isEmpty();
        assertThat(entry.bytes()).isEmpty();
        assertThat(entry.kind()).isEqualTo(ModelKind.GENERATION);
        assertThat(entry.licence()).isEqualTo("Gemma Terms of Use");
    }

    @Test
    void parse_builtInGivenAChecksumOnly_keepsItsRepository() {
        String sha = "ab".repeat(32);
        ModelEntry entry = parse(Map.of("model.qwen3-4b.sha256", sha)).registry().find("qwen3-4b").orElseThrow();

        assertThat(entry.sha256()).contains(sha);
        assertThat(entry.source()).isInstanceOf(ModelSource.Remote.class);
    }

    @Test
    void parse_frameworkKeys_areIgnored() {
        ModelSettings settings = parse(Map.of("service.pid", "dev.steadytext.models",
                "felix.fileinstall.filename", "file:/x/dev.steadytext.models.cfg", "downloads", "true"));

        assertThat(settings.downloadsAllowed()).isTrue();
    }

    @Test
    void parse_badValues_nameTheSourceAndTheKey() {
        assertParseError(Map.of("downloads", "nope"), "conf/x.cfg: downloads: must be true or false, got 'nope'");
        assertParseError(Map.of("downlods", "false"), "conf/x.cfg: downlods: unknown key");
        assertParseError(Map.of("baseUrl", "ftp://example.org"), "conf/x.cfg: baseUrl: must be an http or https URL");
        assertParseError(Map.of("cacheDirectory", "models"), "conf/x.cfg: cacheDirectory: must be an absolute path");
        assertParseError(Map.of("model.x.kind", "generation"),
                "conf/x.cfg: model.x.path: give exactly one of path, repository with file, or bundled");
        assertParseError(Map.of("model.x.kind", "chat", "model.x.path", "/m/x.gguf"),
                "conf/x.cfg: model.x.kind: must be one of generation, embedding, reranking, got 'chat'");
        assertParseError(Map.of("model.x.kind", "generation", "model.x.license", "MIT"),
                "conf/x.cfg: model.x.license: unknown attribute 'license'");
        assertParseError(Map.of("model.x.kind", "generation", "model.x.path", "/m/x.gguf", "model.x.sha256", "abc"),
                "conf/x.cfg: model.x.sha256: must be 64 hex digits, got 'abc'");
        assertParseError(Map.of("model.x.kind", "generation", "model.x.repository", "x/y"),
                "conf/x.cfg: model.x.file: repository and file go together");
        assertParseError(Map.of("default.embedding", "gemma-3-1b"),
                "conf/x.cfg: default.embedding: 'gemma-3-1b' is a generation model, not an embedding model");
        assertParseError(Map.of("size.generation.huge", "gemma-3-1b"),
                "conf/x.cfg: size.generation.huge: must be one of mini, small, large, got 'huge'");
        assertParseError(Map.of("size.generation.small", "nothing"),
                "conf/x.cfg: size.generation.small: no model named 'nothing' is defined");
    }

    @Test
    void load_fileInTheConfigDirectory_isReadAsProperties() throws IOException {
        Files.writeString(conf.resolve(ModelSettings.FILE_NAME), """
                # offline machine
                downloads = false
                model.stories.kind = generation
                model.stories.path = ${user.home}/models/stories260K.gguf
                """);

        ModelSettings settings = ModelSettings.load(conf, CACHE);

        assertThat(settings.downloadsAllowed()).isFalse();
        assertThat(settings.registry().find("stories").orElseThrow().source()).isEqualTo(
                new ModelSource.Local(Path.of(System.getProperty("user.home"), "models", "stories260K.gguf")));
    }

    @Test
    void load_noFile_givesTheDefaults() throws IOException {
        ModelSettings settings = ModelSettings.load(conf, CACHE);

        assertThat(settings.downloadsAllowed()).isTrue();
        assertThat(settings.registry().entries()).isEqualTo(ModelRegistry.builtIn().entries());
    }

    private static ModelSettings parse(Map<String, ?> values) {
        return ModelSettings.parse(values, CACHE, "conf/x.cfg");
    }

    private static void assertParseError(Map<String, ?> values, String message) {
        assertThatThrownBy(() -> parse(values)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
