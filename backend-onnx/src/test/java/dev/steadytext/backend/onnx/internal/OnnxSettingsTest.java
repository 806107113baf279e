package dev.steadytext.backend.onnx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OnnxSettingsTest {

    @Test
    void canonical_listsEveryOutputRelevantSetting() {
        OnnxSettings settings = new OnnxSettings(Path.of("m.onnx"), Path.of("t.json"), "m", 2, 32);
        assertThat(settings.canonical("0123456789abcdef" + "0".repeat(48)))
                .isEqualTo("pooling=mean;normalize=l2;max_seq_len=256;intra_op_threads=2;tokenizer_sha256=0123456789abcdef");
    }

    @Test
    void new_rejectsNonPositiveSizes() {
        assertThatThrownBy(() -> new OnnxSettings(Path.of("m"), Path.of("t"), "m", 0, 32))
                .hasMessageContaining("intraOpThreads");
        assertThatThrownBy(() -> new OnnxSettings(Path.of("m"), Path.of("t"), "m", 2, 0))
                .hasMessageContaining("maxBatchSize");
    }

    @Test
    void meanPoolNormalize_ignoresPaddingAndNormalises() {
        // Row 0 of a [1, 3, 2] tensor: two real tokens, then padding that must not count.
        var hidden = java.nio.FloatBuffer.wrap(new float[] {1, 0, 3, 0, 100, 100});
        assertThat(OnnxEmbedder.meanPoolNormalize(hidden, 0, 3, 2, 2)).containsExactly(1f, 0f);
    }
}
