package dev.steadytext.distribution;

import dev.steadytext.platform.PlatformOptions;
import dev.steadytext.platform.SteadyTextPlatform;
import dev.steadytext.testkit.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Starts the platform inside the test JVM, through the public entry point, with the assembled bundles and the
 * testkit database. The test JVM's class path is the launcher's (bundles are kept off it by the pom).
 *
 * <pre>{@code
 * try (SteadyTextPlatform platform = InProcessPlatform.options(database, home)
 *         .generationModel(Distribution.stories260K()).build()
 *         .start()) { ... }
 * }</pre>
 * One platform per test JVM (failsafe forks one per test class): the llama.cpp native library loads only once.
 */
public final class InProcessPlatform {

    private InProcessPlatform() {}

    /** Options for the assembled bundles, the test database, and a private home directory (a {@code @TempDir}). */
    public static PlatformOptions.Builder options(TestDatabase database, Path home) {
        return PlatformOptions.builder()
                .bundlesDirectory(Distribution.bundles())
                .jdbcUrl(database.jdbcUrl())
                .user(database.user())
                .password(database.password())
                .homeDirectory(home)
                .configDirectory(null) // tests configure through options only, never the distribution's conf/
                .readyTimeout(Duration.ofSeconds(60));
    }

    public static SteadyTextPlatform start(PlatformOptions options) {
        return SteadyTextPlatform.start(options);
    }
}
