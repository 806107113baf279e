package dev.steadytext.backend.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.kherud.llama.LogLevel;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LlamaSettingsTest {

    @Test
    void canonical_listsEveryOutputRelevantSetting() {
        LlamaSettings settings = LlamaSettings.of(Path.of("models", "stories260K.gguf"), 2048, 512, 2);
        assertThat(settings.canonical()).isEqualTo("n_ctx=2048;n_batch=512;threads=2;parallel=1;sampler=greedy");
    }

    @Test
    void of_namesTheModelAfterTheFileWithoutGgufExtension() {
        assertThat(LlamaSettings.of(Path.of("a", "qwen-0.5b.Q8_0.gguf"), 2048, 512, 2).name())
                .isEqualTo("qwen-0.5b.Q8_0");
        assertThat(LlamaSettings.baseName(Path.of("model.bin"))).isEqualTo("model.bin");
    }

    @Test
    void new_rejectsNonPositiveSizes() {
        assertThatThrownBy(() -> LlamaSettings.of(Path.of("m.gguf"), 0, 512, 2)).hasMessageContaining("contextSize");
        assertThatThrownBy(() -> LlamaSettings.of(Path.of("m.gguf"), 2048, 0, 2)).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> LlamaSettings.of(Path.of("m.gguf"), 2048, 512, 0)).hasMessageContaining("threads");
    }

    @Test
    void nativeLogLevels_mapInfoToDebug() {
        // Touches only the LogLevel enum, which loads no native code.
        assertThat(NativeLog.map(LogLevel.INFO)).isEqualTo(Level.DEBUG);
        assertThat(NativeLog.map(LogLevel.WARN)).isEqualTo(Level.WARNING);
        assertThat(NativeLog.map(LogLevel.ERROR)).isEqualTo(Level.ERROR);
    }
}
