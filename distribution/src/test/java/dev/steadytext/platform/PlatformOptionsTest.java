package dev.steadytext.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PlatformOptionsTest {

    @Test
    void defaults_embeddedDatabaseUnderTheHomeDirectory() {
        PlatformOptions options = PlatformOptions.builder()
                .bundlesDirectory(Path.of("bundles"))
                .homeDirectory(Path.of("/tmp/home"))
                .build();

        assertThat(options.embeddedDatabase()).isTrue();
        assertThat(options.embeddedDataDirectory()).isEqualTo(Path.of("/tmp/home/postgres"));
        assertThat(options.embeddedPort()).isEqualTo(PlatformOptions.DEFAULT_EMBEDDED_PORT);
        assertThat(options.schema()).isEqualTo("public");
        assertThat(options.bundlesDirectory()).isAbsolute();
        assertThat(options.migrateSchema()).isTrue();
    }

    @Test
    void blankJdbcUrl_meansEmbedded() {
        PlatformOptions options = PlatformOptions.builder().bundlesDirectory(Path.of("b")).jdbcUrl("  ").build();

        assertThat(options.embeddedDatabase()).isTrue();
    }

    @Test
    void toString_neverShowsThePassword() {
        PlatformOptions options = PlatformOptions.builder()
                .bundlesDirectory(Path.of("b"))
                .jdbcUrl("jdbc:postgresql://db/app?password=inurl")
                .password("given")
                .build();

        assertThat(options.toString()).doesNotContain("inurl").doesNotContain("given").contains("(set)");
    }

    @Test
    void bundlesDirectory_isRequired() {
        assertThatThrownBy(() -> PlatformOptions.builder().build()).hasMessageContaining("bundlesDirectory");
    }

    @Test
    void embeddedPort_outOfRange_isRejected() {
        assertThatThrownBy(() -> PlatformOptions.builder().bundlesDirectory(Path.of("b")).embeddedPort(0).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
