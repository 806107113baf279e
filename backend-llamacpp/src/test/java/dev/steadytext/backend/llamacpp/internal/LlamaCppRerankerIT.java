package dev.steadytext.backend.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What can be tested of the llama.cpp reranker without a reranker GGUF (none is available offline): the GGUF check
 * refuses a generation model before llama.cpp could abort the JVM on it, and the settings that key its scores.
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
