package dev.steadytext.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.steadytext.platform.SteadyTextPlatform;
import dev.steadytext.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;

/**
 * A platform started with no generation model, as a newcomer starts it without {@code --generation-model}: the first
 * call that names no model has the worker load the registry's default generation model (here a registry entry for
 * the stories260K file, served by a Hugging Face-style server inside the test), which then serves every such call as
 * the default, from the cache on a repeat.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DefaultGenerationModelIT {

    @TempDir
    static Path home;

    private static ModelFileServer server;
    private static TestDatabase db;
    private static SteadyTextPlatform platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        server = ModelFileServer.serving("test-org/tiny-stories", Distribution.stories260K());
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("dev.steadytext.models.cfg"), String.join("\n",
                "baseUrl = " + server.baseUrl(),
                ModelTestPlatform.storiesEntry("tiny-stories", "test-org/tiny-stories"),
                "default.generation = tiny-stories", ""));
        db = ModelTestPlatform.databaseWithoutModels();
        platform = ModelTestPlatform.start(db, home, conf);
    }

    @AfterAll
    static void stop() {
        ModelTestPlatform.stop(platform, server);
    }

    @Test
    @Order(1)
    void generate_byACallerWhoMayNotDownload_saysWhichDefaultFileToPlaceWhere_andQueuesNothing() throws Exception {
        try (ModelTestPlatform.PlainCaller plain = new ModelTestPlatform.PlainCaller(db, "st_default_plain")) {
            PSQLException e = (PSQLException) catchThrowableOfType(SQLException.class,
                    () -> Sql.text(plain.connection(), "SELECT steadytext_generate('not yet', 10)"));

            assertThat(e.getSQLState()).isEqualTo("P0001");
            assertThat(e.getServerErrorMessage().getMessage()).contains("model tiny-stories is not in the worker's"
                    + " model cache").contains("place the file at "
                    + home.resolve("models/test-org/tiny-stories/stories260K.gguf"));
            assertThat(server.downloads()).as("downloads").isZero();
            assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_queue")).as("jobs").isZero();
        }
    }

    @Test
    @Order(2)
    void generate_namingNoModel_loadsTheRegistryDefault_whichThenServesAsTheDefault() throws Exception {
        String prompt = "Once upon a time";
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_models WHERE kind = 'generation'")).isZero();

        String first = Sql.text(db, "SELECT steadytext_generate(?, 20)", prompt);
        String second = Sql.text(db, "SELECT steadytext_generate(?, 20)", prompt);
        String byName = Sql.text(db, "SELECT steadytext_generate(?, 20, model => 'tiny-stories')", prompt);

        assertThat(first).startsWith(", there was a little girl");
        assertThat(second).isEqualTo(first);
        assertThat(byName).isEqualTo(first);
        assertThat(server.downloads()).as("downloads").isOne();
        assertThat(Sql.text(db, "SELECT name || ' ' || is_default FROM steadytext_models WHERE kind = 'generation'"))
                .isEqualTo("tiny-stories true");
        assertThat(Sql.number(db, "SELECT count(*) FROM steadytext_queue WHERE prompt = ?", prompt)).as("jobs").isOne();
        assertThat(Sql.text(db, "SELECT steadytext_cache_key(?, 20) = (SELECT cache_key FROM steadytext_cache "
                + "WHERE prompt = ?)", prompt, prompt)).as("the default model's key").isEqualTo("t");
        assertThat(Sql.text(db, "SELECT string_agg(requested || ' ' || model_name, ',') FROM steadytext_model_loads "
                + "WHERE status = 'ready'")).as("one load, for the calls that name no model")
                .isEqualTo("default tiny-stories");
    }
}
