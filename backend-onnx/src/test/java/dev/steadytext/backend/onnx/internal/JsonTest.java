package dev.steadytext.backend.onnx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parse_readsNestedValuesAndEscapes() {
        Object value = Json.parse("{\"a\": [1, 2.5, true, null], \"b\": \"x\\\"y\\u00e9\\n\", \"c\": {}}");
        assertThat(value).isEqualTo(Map.of("a", java.util.Arrays.asList(1L, 2.5, true, null), "b", "x\"yé\n",
                "c", Map.of()));
    }

    @Test
    void parse_emptyArray() {
        assertThat(Json.parse(" [ ] ")).isEqualTo(List.of());
    }

    @Test
    void parse_rejectsTrailingGarbageWithOffset() {
        assertThatThrownBy(() -> Json.parse("{} x")).hasMessageContaining("offset 3");
    }
}
