package dev.steadytext.backend.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.steadytext.api.cache.CacheKey;
import dev.steadytext.api.cache.CacheKind;
import dev.steadytext.api.generate.OutputConstraint;
import dev.steadytext.testkit.CacheKeyVectors;
import dev.steadytext.testkit.StructuredInputVectors;
import dev.steadytext.testkit.StructuredInputVectors.Vector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Java side accepts and rejects exactly the shared structured-input vectors (schema StructuredValidationIT holds
 * SQL to the same), and computes the shared cache keys of structured requests.
 */
class StructuredInputVectorsTest {

    @Test
    void grammarCompilers_decideEveryVectorAsSqlDoes() {
        List<Vector> vectors = StructuredInputVectors.load();
        assertThat(vectors).hasSizeGreaterThan(100);
        for (Vector v : vectors) {
            Throwable thrown = catchThrowable(() -> OutputGrammar.of(constraint(v)));
            if (v.accepted()) {
                assertThat(thrown).as(v.name()).isNull();
                continue;
            }
            assertThat(thrown).as(v.name())
                    .isInstanceOf(v.sqlstate().equals("22004") ? NullPointerException.class : IllegalArgumentException.class)
                    .hasMessageContaining(v.message());
        }
    }

    @Test
    void vectors_coverEveryKindAndOutcome() {
        List<Vector> vectors = StructuredInputVectors.load();
        for (String kind : List.of("json_schema", "regex", "choices")) {
            for (String state : List.of("ok", "22023", "22004")) {
                assertThat(vectors).as(kind + " " + state)
                        .anyMatch(v -> v.kind().equals(kind) && v.sqlstate().equals(state));
            }
        }
    }

    @Test
    void keyParameters_giveTheSharedStructuredCacheKeys() {
        List<CacheKeyVectors.Vector> structured = CacheKeyVectors.load().stream()
                .filter(v -> v.kind().equals("generation") && !v.extraParams().isEmpty()).toList();
        assertThat(structured).hasSizeGreaterThanOrEqualTo(6);
        for (CacheKeyVectors.Vector v : structured) {
            Map.Entry<String, String> param = v.extraParams().entrySet().iterator().next();
            OutputConstraint constraint = switch (param.getKey()) {
                // The vector holds jsonb's text form; reformatting it must not change the key.
                case "json_schema" -> new OutputConstraint.JsonSchema(
                        Json.canonical(Json.parse(param.getValue().replace(", ", " ,\n  "))));
                case "regex" -> new OutputConstraint.Regex(param.getValue());
                default -> new OutputConstraint.Choice(strings(param.getValue()));
            };
            Map<String, String> params = new HashMap<>(constraint.keyParameters());
            params.put("eos_string", v.eosString());
            params.put("max_tokens", v.maxTokens().toString());
            params.put("seed", v.seed().toString());
            assertThat(CacheKey.compute(CacheKind.GENERATION, v.model(), params, v.input())).as(v.name())
                    .isEqualTo(v.key());
        }
    }

    private static OutputConstraint constraint(Vector v) {
        return switch (v.kind()) {
            case "json_schema" -> new OutputConstraint.JsonSchema(v.argument());
            case "regex" -> new OutputConstraint.Regex(v.argument());
            case "choices" -> new OutputConstraint.Choice(v.argument() == null ? null : strings(v.argument()));
            default -> throw new IllegalStateException("unknown vector kind " + v.kind());
        };
    }

    private static List<String> strings(String jsonArray) {
        List<String> out = new ArrayList<>();
        for (Object element : (List<?>) Json.parse(jsonArray)) {
            out.add(element == Json.NULL ? null : (String) element);
        }
        return out;
    }
}
