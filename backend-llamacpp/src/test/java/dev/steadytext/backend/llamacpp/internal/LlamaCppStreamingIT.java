package dev.steadytext.backend.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadytext.api.generate.Generation;
import dev.steadytext.api.generate.GenerationRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Streaming generation with the real native library and stories260K: the same text as plain generation, piece by piece. */
class LlamaCppStreamingIT {

    private static final String PROMPT = "Once upon a time";

    private static LlamaCppGenerator generator;

    @BeforeAll
    static void load() throws Exception {
        LlamaNativeLibrary library = LlamaNativeLibrary.prepare(Stories260K.nativeDir());
        generator = LlamaCppGenerator.load(LlamaSettings.of(Stories260K.path(), 2048, 512, 2), library);
    }

    @AfterAll
    static void close() {
        if (generator != null) {
            generator.close();
        }
    }

    @Test
    void generateStreaming_piecesConcatenateToThePlainGeneration() {
        GenerationRequest request = GenerationRequest.of(PROMPT, 300, 42, GenerationRequest.NO_EXTRA_EOS);
        Generation plain = generator.generate(request);
        List<String> pieces = new ArrayList<>();

        Generation streamed = generator.generate(request, pieces::add);

        System.out.printf("stories260K streamed %d tokens in %d pieces, %.1f ms%n", streamed.tokens(), pieces.size(),
                streamed.nanos() / 1e6);
        assertThat(streamed.text()).isEqualTo(plain.text());
        assertThat(streamed.tokens()).isEqualTo(plain.tokens());
        assertThat(String.join("", pieces)).isEqualTo(plain.text());
        assertThat(pieces).as("one piece per token, roughly").hasSizeGreaterThan(plain.tokens() / 2);
    }

    @Test
    void generateStreaming_withAStopString_neverHandsOverAnyPartOfIt() {
        String full = generator.generate(GenerationRequest.of(PROMPT, 60, 42, GenerationRequest.NO_EXTRA_EOS)).text();
        String stop = "Lily. She loved";
        assertThat(full).contains(stop);
        GenerationRequest request = GenerationRequest.of(PROMPT, 60, 42, stop);
        List<String> pieces = new ArrayList<>();

        Generation streamed = generator.generate(request, pieces::add);

        assertThat(streamed.text()).isEqualTo(full.substring(0, full.indexOf(stop)));
        assertThat(String.join("", pieces)).isEqualTo(streamed.text());
    }

    @Test
    void generateStreaming_sinkDeclines_cancelsAndTheNextGenerationIsUnaffected() {
        GenerationRequest request = GenerationRequest.of(PROMPT, 400, 42, GenerationRequest.NO_EXTRA_EOS);
        Generation plain = generator.generate(request);
        List<String> pieces = new ArrayList<>();

        assertThatThrownBy(() -> generator.generate(request, piece -> pieces.add(piece) && pieces.size() < 5))
                .isInstanceOf(CancellationException.class);

        assertThat(pieces).hasSize(5);
        assertThat(plain.text()).startsWith(String.join("", pieces));
        assertThat(generator.generate(request).text()).isEqualTo(plain.text());
    }

    @Test
    void generateStreaming_sinkDeclines_stopsTheNativeTask_soTheNextRequestDoesNotWaitForIt() {
        GenerationRequest longOne = GenerationRequest.of(PROMPT, 1500, 42, GenerationRequest.NO_EXTRA_EOS);
        GenerationRequest shortOne = GenerationRequest.of("A short one", 5, 42, GenerationRequest.NO_EXTRA_EOS);
        long full = System.nanoTime();
        generator.generate(longOne);
        full = System.nanoTime() - full;
        List<String> pieces = new ArrayList<>();

        assertThatThrownBy(() -> generator.generate(longOne, piece -> pieces.add(piece) && pieces.size() < 20))
                .isInstanceOf(CancellationException.class);
        long next = System.nanoTime();
        generator.generate(shortOne);
        next = System.nanoTime() - next;

        System.out.printf("stories260K: 1500 tokens take %.1f ms; 5 tokens right after a cancelled 1500 take %.1f ms%n",
                full / 1e6, next / 1e6);
        assertThat(next).isLessThan(full / 4);
    }

    @Test
    void generateStreaming_sinkFails_cancelsAndRethrows() {
        GenerationRequest request = GenerationRequest.of(PROMPT, 400, 42, GenerationRequest.NO_EXTRA_EOS);
        Generation plain = generator.generate(request);

        assertThatThrownBy(() -> generator.generate(request, piece -> {
            throw new IllegalStateException("the database is gone");
        })).isInstanceOf(IllegalStateException.class).hasMessage("the database is gone");

        assertThat(generator.generate(request).text()).isEqualTo(plain.text());
    }
}
