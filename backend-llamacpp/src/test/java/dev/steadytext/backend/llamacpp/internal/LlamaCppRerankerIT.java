package dev.steadytext.backend.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadytext.testkit.TinyGgufReranker;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The llama.cpp reranker's GGUF check, which refuses before any native code what llama.cpp would abort the JVM on (a
 * generation model, a reranker head this llama.cpp cannot build), and the settings that key its scores. Scoring
 * with a real reranker model is in {@link LlamaCppRerankerScoresIT}.
 */
class LlamaCppRerankerIT {

    @Test
    void ggufHeader_ofStories260K_isReadInJava() throws IOException {
        GgufMetadata gguf = GgufMetadata.read(Stories260K.path());

        assertThat(gguf.architecture()).isEqualTo("llama");
        assertThat(gguf.integer("llama.context_length")).isPositive();
        assertThat(gguf.tensors()).contains("token_embd.weight").doesNotContain("cls.weight", "cls.output.weight");
    }

    @Test
    void load_aGenerationModel_failsCleanly_beforeAnyNativeCode() throws IOException {
        LlamaSettings settings = LlamaSettings.of(Stories260K.path(), 512, 512, 2);
        LlamaNativeLibrary library = LlamaNativeLibrary.prepare(Stories260K.nativeDir());

        assertThatThrownBy(() -> LlamaCppReranker.load(settings, "auto", library))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("stories260K.gguf is not a reranker model")
                .hasMessageContaining("architecture llama")
                .hasMessageContaining("no pooling type")
                .hasMessageContaining("has no classification head");
    }

    @Test
    void check_aHeadOfClsOutputAlone_isRefused(@TempDir Path dir) throws IOException {
        // The bundled llama.cpp asserts that the dense layer cls exists when it builds the rank pooling: a JVM abort.
        Path model = TinyGgufReranker.write(dir.resolve("no-dense-head.gguf"),
                TinyGgufReranker.Variant.WITHOUT_DENSE_HEAD);

        assertThat(GgufMetadata.read(model).tensors()).contains("cls.output.weight").doesNotContain("cls.weight");
        assertThatThrownBy(() -> LlamaCppReranker.check(model, "auto")).isInstanceOf(IOException.class)
                .hasMessageContaining("no-dense-head.gguf is not a reranker model")
                .hasMessageContaining("pooling type 4")
                .hasMessageContaining("has no classification head");
    }

    @Test
    void maxTokens_isTheLeastOfContextBatchAndTrainedContext() {
        assertThat(LlamaCppReranker.maxTokens(LlamaSettings.of(Stories260K.path(), 512, 256, 2), 8192)).isEqualTo(256);
        assertThat(LlamaCppReranker.maxTokens(LlamaSettings.of(Stories260K.path(), 1024, 1024, 2), 512))
                .isEqualTo(512);
        assertThat(LlamaCppReranker.maxTokens(LlamaSettings.of(Stories260K.path(), 512, 512, 2), -1)).isEqualTo(512);
    }

    @Test
    void check_aMissingFile_namesIt() {
        Path missing = Path.of("target", "no-such-reranker.gguf");

        assertThatThrownBy(() -> LlamaCppReranker.check(missing, "auto")).isInstanceOf(IOException.class)
                .hasMessageContaining("no-such-reranker.gguf does not exist");
    }

    @Test
    void canonicalSettings_nameThePromptAndTheScoreFunction() {
        LlamaSettings settings = LlamaSettings.of(Stories260K.path(), 512, 256, 2);

        assertThat(LlamaCppReranker.canonical(settings, RerankPrompt.QWEN3))
                .isEqualTo("n_ctx=512;n_batch=256;threads=2;parallel=1;pooling=rank;prompt=qwen3;score=sigmoid");
        assertThat(LlamaCppReranker.sigmoid(0)).isEqualTo(0.5);
        assertThat(LlamaCppReranker.sigmoid(40)).isLessThanOrEqualTo(1.0).isGreaterThan(0.999);
    }
}
