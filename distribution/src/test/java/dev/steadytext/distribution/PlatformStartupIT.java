package dev.steadytext.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.api.generate.Generator;
import dev.steadytext.platform.SteadyTextPlatform;
import dev.steadytext.testkit.PostgresExtension;
import dev.steadytext.testkit.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Smoke test: the real Felix runtime with the assembled bundles, started in-process through the public entry point. */
@ExtendWith(PostgresExtension.class)
class PlatformStartupIT {

    @Test
    void start_bringsEveryBundleAndComponentUp_andHandsOutTheApiServices(TestDatabase database, @TempDir Path home)
            throws IOException {
        try (SteadyTextPlatform platform = InProcessPlatform.start(InProcessPlatform.options(database, home)
                .generationModel(Distribution.stories260K())
                .build())) {
            System.out.printf("platform ready in %d ms (schema migrated on a fresh database)%n",
                    platform.startupTime().toMillis());

            assertThat(platform.problems()).as("bundles not active, components not satisfied").isEmpty();
            assertThat(platform.worker().id()).isNotNull();
            // The host sees the bundles' services through its own copy of the api: the system bundle exports it.
            Generator generator = platform.service(Generator.class, Duration.ofSeconds(30));
            assertThat(generator.model()).isNotNull();
            assertThat(platform.database().jdbcUrl()).isEqualTo(database.jdbcUrl());
            try (Stream<Path> runtimeDirectories = Files.list(home.resolve("run"))) {
                assertThat(runtimeDirectories.count()).as("one private runtime directory").isOne();
            }
        }
        assertThat(home.resolve("run").resolve(Long.toString(ProcessHandle.current().pid())))
                .as("the runtime directory is removed on close")
                .doesNotExist();
    }
}
