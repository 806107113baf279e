package dev.steadytext.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.steadytext.platform.SteadyTextPlatform;
import dev.steadytext.testkit.PostgresExtension;
import dev.steadytext.testkit.TestDatabase;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Structured generation answered by the real platform (Felix, the assembled bundles, llama.cpp with stories260K):
 * a tiny model under a grammar gives a bare JSON document castable to jsonb and valid for its schema, a whole match
 * of a pattern, one of the choices; each computed once and then served from the cache.
 */
class StructuredGenerationIT {

    private static final String PERSON = """
            {"type": "object", "properties": {"name": {"type": "string", "maxLength": 20},
             "age": {"type": "integer"}, "happy": {"type": "boolean"},
             "pets": {"type": "array", "items": {"enum": ["cat", "dog"]}, "maxItems": 3}},
             "required": ["name", "age"]}""";

    @TempDir
    static Path home;

    private static TestDatabase db;
    private static SteadyTextPlatform platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        db = PostgresExtension.database();
        platform = InProcessPlatform.start(InProcessPlatform.options(db, home)
                .generationModel(Distribution.stories260K())
                .build());
        db.createLoopbackServerIfExternal();
        platform.generator();
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void generateJson_isABareDocumentValidForTheSchema_computedOnceThenCached() throws Exception {
        String prompt = "Once upon a time, a girl";
        String first = Sql.text(db, "SELECT steadytext_generate_json(?, ?::jsonb)", prompt, PERSON);
        String second = Sql.text(db, "SELECT steadytext_generate_json(?, ?::jsonb)", prompt, PERSON);

        System.out.println("generate_json: " + first);
        assertThat(first).startsWith("{").endsWith("}");
        assertThat(Sql.text(db, """
                SELECT jsonb_typeof(d) = 'object' AND (d -> 'name') IS NOT NULL AND (d -> 'age') IS NOT NULL
                   AND jsonb_typeof(d -> 'name') = 'string' AND length(d ->> 'name') <= 20
                   AND jsonb_typeof(d -> 'age') = 'number' AND (d ->> 'age')::numeric = trunc((d ->> 'age')::numeric)
                   AND jsonb_typeof(d -> 'happy') = 'boolean'
                   AND jsonb_array_length(d -> 'pets') <= 3
                   AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(d -> 'pets') AS p WHERE p NOT IN ('cat', 'dog'))
                FROM (SELECT ?::jsonb AS d) AS doc""", first)).as(first).isEqualTo("t");
        assertThat(second).isEqualTo(first);
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_queue WHERE prompt = ?", prompt)).as("jobs").isOne();
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_cache WHERE prompt = ? AND response = ?", prompt, first))
                .isOne();
        assertThat(Sql.text(db, "SELECT generation_params - 'max_tokens' = jsonb_build_object('json_schema', ?::jsonb)"
                + " FROM steadytext_cache WHERE prompt = ? AND response = ?", PERSON, prompt, first))
                .as("the cache row names its schema").isEqualTo("t");
    }

    @Test
    void generateRegex_matchesTheWholePattern_computedOnceThenCached() throws Exception {
        for (String pattern : List.of("[0-9]{3}-[0-9]{4}", "(yes|no|maybe)", "[A-Z][a-z]+( [a-z]+){2,4}\\.")) {
            String prompt = "The number of the house was";
            String first = Sql.text(db, "SELECT steadytext_generate_regex(?, ?)", prompt, pattern);
            System.out.println("generate_regex " + pattern + ": " + first);
            assertThat(Sql.text(db, "SELECT ? ~ ('^(?:' || ? || ')$')", first, pattern)).as(first).isEqualTo("t");
            assertThat(Sql.text(db, "SELECT ? ~ ?", first, pattern)).isEqualTo("t");
            assertThat(Sql.text(db, "SELECT st_generate_regex(?, ?)", prompt, pattern)).isEqualTo(first);
            assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_cache WHERE prompt = ? AND response = ?"
                    + " AND generation_params ->> 'regex' = ?", prompt, first, pattern)).as("the row names its pattern").isOne();
        }
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_queue WHERE prompt = ?", "The number of the house was"))
                .as("one job per pattern").isEqualTo(3);
    }

    @Test
    void generateChoice_isExactlyOneOfTheChoices() throws Exception {
        String[] choices = {"happy", "sad", "happy ending", "a \"quoted\" one"};
        String prompt = "The story had a";
        String first = Sql.text(db, "SELECT steadytext_generate_choice(?, ?::text[])", prompt,
                arrayLiteral(choices));
        System.out.println("generate_choice: " + first);
        assertThat(choices).contains(first);
        assertThat(Sql.text(db, "SELECT steadytext_generate_choice(?, ?::text[])", prompt, arrayLiteral(choices)))
                .isEqualTo(first);
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_queue WHERE prompt = ?", prompt)).isOne();
        assertThat(Sql.text(db, "SELECT generation_params -> 'choices' = to_jsonb(?::text[])"
                + " FROM steadytext_cache WHERE prompt = ? AND response = ?", arrayLiteral(choices), prompt, first))
                .as("the cache row names its choices").isEqualTo("t");
    }

    /** A text[] literal, each element quoted. */
    private static String arrayLiteral(String... elements) {
        return "{" + String.join(",", java.util.Arrays.stream(elements)
                .map(e -> "\"" + e.replace("\\", "\\\\").replace("\"", "\\\"") + "\"").toList()) + "}";
    }

    @Test
    void generateJsonAsync_answersWithTheSameDocumentAsTheSyncCall() throws Exception {
        String schema = "{\"type\": \"object\", \"properties\": {\"title\": {\"type\": \"string\", \"maxLength\": 30}}}";
        String id = Sql.text(db, "SELECT steadytext_generate_json_async(?, ?::jsonb)", "Lily found a book", schema);

        String result = Sql.text(db, "SELECT steadytext_get_async_result(?::uuid, 30)", id);

        assertThat(Sql.text(db, "SELECT jsonb_typeof((?::jsonb) -> 'title')", result)).isEqualTo("string");
        assertThat(Sql.text(db, "SELECT steadytext_generate_json(?, ?::jsonb)", "Lily found a book", schema))
                .isEqualTo(result);
        assertThat(Sql.text(db, "SELECT status FROM steadytext_check_async(?::uuid)", id)).isEqualTo("completed");
    }

    @Test
    void generateJson_tooFewTokensForTheDocument_failsNamingMaxTokens_andCachesNothing() throws Exception {
        SQLException e = catchThrowableOfType(SQLException.class,
                () -> Sql.text(db, "SELECT steadytext_generate_json(?, ?::jsonb, 4)", "Too short", PERSON));

        assertThat(e.getSQLState()).isEqualTo("P0001");
        assertThat(e.getMessage()).contains("max_tokens").contains("JSON document");
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_cache WHERE prompt = ?", "Too short")).isZero();
    }
}
