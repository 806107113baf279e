package dev.steadytext.backend.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void canonical_isJsonbTextForm() {
        // Each expected value is what PostgreSQL gives for '<input>'::jsonb::text.
        assertThat(Json.canonical(Json.parse("{\"b\":1,\"a\":{\"dd\":1,\"c\":[1.50,1e2,-0]}}")))
                .isEqualTo("{\"a\": {\"c\": [1.50, 100, 0], \"dd\": 1}, \"b\": 1}");
        assertThat(Json.canonical(Json.parse("[\"tab\\there\", \"quote\\\"\", \"\\u00e9\\/\", 1.5e1, 1E-2, true, null]")))
                .isEqualTo("[\"tab\\there\", \"quote\\\"\", \"é/\", 15, 0.01, true, null]");
    }

    @Test
    void parse_keysInJsonbOrderAndLastRepeatWins() {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) Json.parse("{\"zz\": 1, \"b\": 2, \"aaa\": 3, \"b\": 4, \"é\": 5}");
        assertThat(List.copyOf(map.keySet())).containsExactly("b", "zz", "é", "aaa");
        assertThat(Json.compact(map)).isEqualTo("{\"b\":4,\"zz\":1,\"é\":5,\"aaa\":3}");
    }

    @Test
    void parse_invalidJson_saysWhere() {
        assertThatThrownBy(() -> Json.parse("{\"a\": }")).hasMessageContaining("character 7");
        assertThatThrownBy(() -> Json.parse("[1] x")).hasMessageContaining("after the document");
        assertThatThrownBy(() -> Json.parse("\"\\u0000\"")).hasMessageContaining("\\u0000");
        assertThatThrownBy(() -> Json.parse("[1,")).hasMessageContaining("end of the document");
    }
}
