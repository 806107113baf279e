package dev.steadytext.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.steadytext.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Bad input is rejected with the contract's SQLSTATE and a message naming the argument; nothing is enqueued. */
class ValidationIT {

    private TestDatabase db;

    @BeforeEach
    void setUp() throws Exception {
        db = Fixture.database();
        Fixture.reset(db);
        Fixture.registerModel(db, "generation", "gen-model", true);
        Fixture.registerModel(db, "embedding", "emb-model", true);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            steadytext_generate(NULL)                                   | 22004 | prompt
            steadytext_generate('')                                     | 22023 | prompt
            steadytext_generate('x', 0)                                 | 22023 | max_tokens
            steadytext_generate('x', 4097)                              | 22023 | max_tokens
            steadytext_generate('x', -5)                                | 22023 | max_tokens
            steadytext_generate('x', 10, NULL)                          | 22004 | use_cache
            steadytext_generate('x', 10, true, -1)                      | 22023 | seed
            steadytext_generate('x', 10, true, NULL)                    | 22004 | seed
            steadytext_generate('x', 10, true, 42, NULL)                | 22004 | eos_string
            steadytext_generate(repeat('x', 65537))                     | 54000 | prompt
            steadytext_generate('x', size => 'huge')                    | 22023 | size
            steadytext_generate('x', model => 'nope')                   | 22023 | model
            steadytext_generate('x', model => 'openai:gpt-4')           | 22023 | unsafe_mode
            steadytext_generate('x', model => 'openai:gpt-4', unsafe_mode => true) | 0A000 | not supported
            steadytext_generate_async('')                               | 22023 | prompt
            steadytext_generate_async('x', 5000)                        | 22023 | max_tokens
            steadytext_generate_batch_async(ARRAY['a', NULL])           | 22004 | prompts[2]
            steadytext_generate_batch_async(ARRAY[]::text[])            | 22023 | prompts
            steadytext_embed(NULL)                                      | 22004 | text_input
            steadytext_embed('')                                        | 22023 | text_input
            steadytext_embed('x', seed => -3)                           | 22023 | seed
            steadytext_embed(repeat('y', 70000))                        | 54000 | text_input
            steadytext_embed_async('')                                  | 22023 | text_input
            steadytext_embed_batch(NULL)                                | 22004 | texts
            steadytext_embed_batch(ARRAY[]::text[])                     | 22023 | texts
            steadytext_embed_batch(ARRAY['a', 'b', NULL])               | 22004 | texts[3]
            steadytext_embed_batch(ARRAY['a', ''])                      | 22023 | texts[2]
            steadytext_embed_batch_async(ARRAY['a', NULL])              | 22004 | texts[2]
            steadytext_get_async_result(gen_random_uuid(), -1)          | 22023 | timeout_seconds
            steadytext_cache_clear('bogus')                             | 22023 | kind
            """)
    void badInput_isRejectedAndNothingIsEnqueued(String call, String sqlState, String named) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            SQLException e = catchThrowableOfType(SQLException.class, () -> s.execute("SELECT * FROM " + call));
            assertThat((Throwable) e).as(call).isNotNull();
            assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(sqlState);
            assertThat(e.getMessage()).contains(named);
            assertThat(count(s, "SELECT count(*) FROM steadytext_queue")).isZero();
            assertThat(count(s, "SELECT count(*) FROM steadytext_cache_access")).isZero();
        }
    }

    @Test
    void maxTokensLimit_comesFromConfig() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT steadytext_config_set('max_tokens_limit', '100')");
            try {
                SQLException e = catchThrowableOfType(SQLException.class,
                        () -> s.execute("SELECT steadytext_generate_async('x', 101)"));
                assertThat(e.getSQLState()).isEqualTo("22023");
                assertThat(e.getMessage()).contains("max_tokens").contains("100");
            } finally {
                s.execute("SELECT steadytext_config_set('max_tokens_limit', '4096')");
            }
        }
    }

    @Test
    void noModelRegistered_raises55000SayingToStartThePlatform() throws Exception {
        Fixture.reset(db);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            SQLException e = catchThrowableOfType(SQLException.class,
                    () -> s.execute("SELECT steadytext_generate('hello')"));
            assertThat(e.getSQLState()).isEqualTo("55000");
            assertThat(e.getMessage()).contains("no worker has registered a generation model");
            assertThat(((org.postgresql.util.PSQLException) e).getServerErrorMessage().getHint()).contains("Start the SteadyText platform");
            SQLException e2 = catchThrowableOfType(SQLException.class,
                    () -> s.execute("SELECT steadytext_embed('hello')"));
            assertThat(e2.getSQLState()).isEqualTo("55000");
            assertThat(e2.getMessage()).contains("embedding model");
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
