package dev.steadytext.backend.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadytext.api.generate.Generation;
import dev.steadytext.api.generate.GenerationRequest;
import dev.steadytext.api.generate.OutputConstraint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Constrained generation with the real native library and the real stories260K model: every grammar we write parses
 * in llama.cpp (an unparsable one would be ignored and the output would fail its check), and a tiny model under a
 * grammar gives valid output.
 */
class LlamaCppStructuredIT {

    private static final String PROMPT = "Once upon a time";
    private static final String PERSON = """
            {"type": "object", "properties": {"name": {"type": "string", "maxLength": 20},
             "age": {"type": "integer"}, "happy": {"type": "boolean"},
             "pets": {"type": "array", "items": {"type": "string", "enum": ["cat", "dog"]}, "maxItems": 3},
             "mood": {"enum": ["glad", "sad", 3, null]}, "score": {"type": ["number", "null"]}},
             "required": ["name", "age"]}""";

    private static LlamaCppGenerator generator;

    @BeforeAll
    static void load() throws Exception {
        generator = LlamaCppGenerator.load(LlamaSettings.of(Stories260K.path(), 2048, 512, 2),
                LlamaNativeLibrary.prepare(Stories260K.nativeDir()));
    }

    @AfterAll
    static void close() {
        if (generator != null) {
            generator.close();
        }
    }

    private static Generation generate(OutputConstraint constraint, int maxTokens) {
        return generator.generate(GenerationRequest.of(PROMPT, maxTokens, 42, "[EOS]", constraint));
    }

    @Test
    void jsonSchema_givesACompactDocumentValidForTheSchema() {
        OutputGrammar grammar = JsonSchemaGrammar.compile(PERSON);
        Generation first = generate(new OutputConstraint.JsonSchema(PERSON), 512);
        System.out.printf("json: %d tokens in %.1f ms: %s%n", first.tokens(), first.nanos() / 1e6, first.text());
        assertThat(grammar.accepts().test(first.text())).as(first.text()).isTrue();
        @SuppressWarnings("unchecked")
        Map<String, Object> document = (Map<String, Object>) Json.parse(first.text());
        assertThat(document).containsOnlyKeys("age", "mood", "name", "pets", "happy", "score");
        assertThat(Json.compact(document)).as("compact, keys in jsonb order").isEqualTo(first.text());
        assertThat(generate(new OutputConstraint.JsonSchema(PERSON), 512).text()).isEqualTo(first.text());
    }

    @Test
    void regex_givesAWholeMatch() {
        for (String pattern : List.of("[0-9]{3}-[0-9]{4}", "^(yes|no|maybe)$", "[A-Z][a-z]+( [a-z]+){2,4}\\.",
                "\\d+(\\.\\d{1,2})?", "(a|)b?[^\\]x-z]{2}", "[\\w.-]{1,8}@[a-z]{1,8}\\.(com|org)", "é{1,3}ü?\\$")) {
            Generation generation = generate(new OutputConstraint.Regex(pattern), 64);
            System.out.printf("regex %s: [%s]%n", pattern, generation.text());
            assertThat(RegexGrammar.compile(pattern).accepts().test(generation.text())).as(pattern + " -> " + generation.text())
                    .isTrue();
        }
    }

    @Test
    void choice_givesExactlyOneChoice() {
        List<String> choices = List.of("happy", "sad", "happy ending", "\"quoted\" \\ ü");
        Generation generation = generate(new OutputConstraint.Choice(choices), 32);
        System.out.printf("choice: [%s]%n", generation.text());
        assertThat(choices).contains(generation.text());
    }

    @Test
    void jsonSchema_tooFewTokens_failsNamingMaxTokens() {
        assertThatThrownBy(() -> generate(new OutputConstraint.JsonSchema(PERSON), 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max_tokens 5")
                .hasMessageContaining("JSON document");
    }

    @Test
    void unsupportedSchema_isRejectedBeforeGenerating() {
        assertThatThrownBy(() -> generate(new OutputConstraint.JsonSchema("{\"type\": \"string\", \"format\": \"date\"}"), 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported keyword \"format\"");
    }
}
