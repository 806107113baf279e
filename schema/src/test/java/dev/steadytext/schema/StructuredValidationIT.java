package dev.steadytext.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.steadytext.testkit.StructuredInputVectors;
import dev.steadytext.testkit.StructuredInputVectors.Vector;
import dev.steadytext.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SQL checks of structured generation decide every shared vector as the Java grammar compilers do
 * (backend-llamacpp StructuredInputVectorsTest), through the async functions, and enqueue nothing for bad input.
 */
class StructuredValidationIT {

    private TestDatabase db;

    @BeforeEach
    void setUp() throws Exception {
        db = Fixture.database();
        Fixture.reset(db);
        Fixture.registerModel(db, "generation", "gen-model", true);
    }

    @Test
    void asyncFunctions_decideEveryVectorAsJavaDoes_andEnqueueOnlyAccepted() throws Exception {
        List<Vector> vectors = StructuredInputVectors.load();
        assertThat(vectors).hasSizeGreaterThan(100);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (Vector v : vectors) {
                long queued = count(s, "SELECT count(*) FROM steadytext_queue");
                SQLException e = catchThrowableOfType(SQLException.class, () -> call(c, v));
                if (v.accepted()) {
                    assertThat((Throwable) e).as(v.name()).isNull();
                    assertThat(count(s, "SELECT count(*) FROM steadytext_queue")).as(v.name()).isEqualTo(queued + 1);
                    continue;
                }
                assertThat((Throwable) e).as(v.name()).isNotNull();
                assertThat(e.getSQLState()).as(v.name() + ": " + e.getMessage()).isEqualTo(v.sqlstate());
                assertThat(e.getMessage()).as(v.name()).contains(v.message());
                assertThat(count(s, "SELECT count(*) FROM steadytext_queue")).as(v.name()).isEqualTo(queued);
            }
        }
    }

    private static void call(Connection c, Vector v) throws SQLException {
        String sql = switch (v.kind()) {
            case "json_schema" -> "SELECT steadytext_generate_json_async('p', ?::jsonb)";
            case "regex" -> "SELECT steadytext_generate_regex_async('p', ?)";
            // A JSON array of strings and nulls as text[]; SQL NULL stays NULL.
            default -> "SELECT steadytext_generate_choice_async('p', (SELECT CASE WHEN j IS NOT NULL THEN"
                    + " ARRAY(SELECT jsonb_array_elements_text(j)) END FROM (SELECT ?::jsonb AS j) AS a))";
        };
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, v.argument()); // the schema, the pattern, or the choices as a JSON array
            ps.executeQuery().close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            steadytext_generate_json(NULL, '{"type": "string"}')          | 22004 | prompt
            steadytext_generate_json('p', NULL)                           | 22004 | schema
            steadytext_generate_json('p', '{"type": "string"}', 0)        | 22023 | max_tokens
            steadytext_generate_json('p', '{"type": "string"}', seed => -1) | 22023 | seed
            steadytext_generate_json('p', '{"type": "string"}', model => 'nope') | 22023 | model
            steadytext_generate_json('p', '{"type": "date"}')             | 22023 | steadytext_generate_json: schema: type at #
            steadytext_generate_regex('', 'a')                            | 22023 | prompt
            steadytext_generate_regex('p', 'a(')                          | 22023 | steadytext_generate_regex: pattern is not a valid regular expression
            steadytext_generate_regex('p', '(a)\\1')                      | 22023 | backreference
            steadytext_generate_choice('p', ARRAY['x'])                   | 22023 | steadytext_generate_choice: choices must have at least two
            steadytext_generate_choice('p', ARRAY[['a', 'b'], ['c', 'd']]) | 22023 | one-dimensional
            steadytext_generate_choice('p', ARRAY['a', 'b'], use_cache => NULL) | 22004 | use_cache
            st_generate_json('p', '{"type": "string", "format": "uri"}') | 22023 | unsupported keyword "format"
            st_generate_regex_async('p', '\\D')                           | 22023 | \\D
            st_generate_choice_async('p', ARRAY['a', 'a'])                | 22023 | repeats
            """)
    void badInput_isRejectedNamingTheArgument_andNothingIsEnqueued(String call, String sqlState, String named)
            throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            SQLException e = catchThrowableOfType(SQLException.class, () -> s.execute("SELECT * FROM " + call));
            assertThat((Throwable) e).as(call).isNotNull();
            assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(sqlState);
            assertThat(e.getMessage()).contains(named);
            assertThat(count(s, "SELECT count(*) FROM steadytext_queue")).isZero();
            assertThat(count(s, "SELECT count(*) FROM steadytext_cache_access")).isZero();
        }
    }

    static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
