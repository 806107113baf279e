package dev.steadytext.backend.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadytext.api.generate.Generation;
import dev.steadytext.api.generate.GenerationRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The generator with the real native library and the real stories260K model. */
class LlamaCppGeneratorIT {

    private static final String PROMPT = "Once upon a time";

    private static LlamaNativeLibrary library;
    private static LlamaCppGenerator generator;

    @BeforeAll
    static void load() throws Exception {
        library = LlamaNativeLibrary.prepare(Stories260K.nativeDir());
        generator = LlamaCppGenerator.load(settings(2048), library);
    }

    @AfterAll
    static void close() {
        if (generator != null) {
            generator.close();
        }
    }

    private static LlamaSettings settings(int contextSize) {
        return LlamaSettings.of(Stories260K.path(), contextSize, 512, 2);
    }

    private static GenerationRequest request(String prompt, int maxTokens, List<String> stops) {
        return new GenerationRequest(prompt, maxTokens, 42, stops);
    }

    @Test
    void generate_onceUponATime_isTheKnownGreedyStory() {
        GenerationRequest request = GenerationRequest.of(PROMPT, 40, 42, GenerationRequest.NO_EXTRA_EOS);
        Generation first = generator.generate(request);
        Generation second = generator.generate(request);
        System.out.printf("stories260K: %d tokens in %.2f ms = %.0f tokens/s: [%s]%n", first.tokens(),
                first.nanos() / 1e6, first.tokens() / (first.nanos() / 1e9), first.text());
        assertThat(first.text().strip()).startsWith(", there was a little girl named Lily");
        assertThat(second.text()).isEqualTo(first.text());
        assertThat(second.tokens()).isEqualTo(first.tokens());
    }

    @Test
    void generate_isByteIdenticalAcrossModelInstances() {
        GenerationRequest request = request(PROMPT, 100, GenerationRequest.DEFAULT_STOP_STRINGS);
        String fromShared = generator.generate(request).text();
        try (LlamaCppGenerator other = LlamaCppGenerator.load(settings(2048), library)) {
            assertThat(other.generate(request).text()).isEqualTo(fromShared);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void generate_honoursMaxTokens() {
        for (int max : new int[] {1, 5, 17}) {
            Generation generation = generator.generate(request(PROMPT, max, List.of()));
            assertThat(generation.tokens()).as("tokens for max %d", max).isBetween(1, max);
        }
        Generation five = generator.generate(request(PROMPT, 5, List.of()));
        Generation forty = generator.generate(request(PROMPT, 40, List.of()));
        assertThat(forty.text()).startsWith(five.text());
    }

    @Test
    void generate_stopStringCutsOutputAndIsNotReturned() {
        String full = generator.generate(request(PROMPT, 40, List.of())).text();
        assertThat(full).contains("Lily");
        Generation stopped = generator.generate(request(PROMPT, 40, List.of("Lily")));
        assertThat(stopped.text()).isEqualTo(full.substring(0, full.indexOf("Lily")));
    }

    @Test
    void generate_promptTooLongForContext_isRejectedNamingPrompt() throws Exception {
        try (LlamaCppGenerator small = LlamaCppGenerator.load(settings(64), library)) {
            String longPrompt = "Once upon a time there was a little dog. ".repeat(20);
            assertThatThrownBy(() -> small.generate(request(longPrompt, 10, List.of())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("prompt")
                    .hasMessageContaining("max_tokens");
            assertThatThrownBy(() -> small.generate(request(PROMPT, 64, List.of())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("max_tokens");
            assertThat(small.generate(request(PROMPT, 10, List.of())).tokens()).isPositive();
        }
    }

    @Test
    void generate_emptyPrompt_isRejectedNamingPrompt() {
        assertThatThrownBy(() -> generator.generate(request("", 10, List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prompt");
    }

    @Test
    void fingerprint_isStableAndChangesWithContextSize() throws Exception {
        assertThat(generator.model().modelSha256()).isEqualTo(Stories260K.SHA256);
        assertThat(generator.model().settings()).isEqualTo("n_ctx=2048;n_batch=512;threads=2;parallel=1;sampler=greedy");
        assertThat(generator.model().backendVersion()).startsWith("java-llama.cpp 4.2.0 libjllama-sha256=");
        assertThat(generator.model().name()).isEqualTo("stories260K");
        try (LlamaCppGenerator same = LlamaCppGenerator.load(settings(2048), library);
                LlamaCppGenerator smaller = LlamaCppGenerator.load(settings(1024), library)) {
            assertThat(same.model().fingerprint()).isEqualTo(generator.model().fingerprint());
            assertThat(smaller.model().fingerprint()).isNotEqualTo(generator.model().fingerprint());
        }
    }

    @Test
    void load_missingFile_saysWhatToSet() {
        LlamaSettings missing = LlamaSettings.of(Path.of("target", "no-such-model.gguf"), 2048, 512, 2);
        assertThatThrownBy(() -> LlamaCppGenerator.load(missing, library))
                .hasMessageContaining("no-such-model.gguf")
                .hasMessageContaining("modelPath");
    }
}
