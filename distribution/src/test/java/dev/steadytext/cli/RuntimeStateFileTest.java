package dev.steadytext.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.platform.DatabaseEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeStateFileTest {

    @TempDir
    Path home;

    @Test
    void write_thenRead_givesTheEndpoint() {
        RuntimeStateFile state = new RuntimeStateFile(home);
        DatabaseEndpoint endpoint =
                DatabaseEndpoint.of("jdbc:postgresql://localhost:54329/postgres", Optional.of("postgres"), "st");

        state.write(endpoint);

        assertThat(state.read()).contains(endpoint);
    }

    @Test
    void read_ofAFileFromADeadProcess_isEmpty() throws IOException {
        Files.writeString(home.resolve("runtime.properties"),
                "jdbcUrl=jdbc:postgresql://localhost/x\npid=" + Long.MAX_VALUE + "\n");

        assertThat(new RuntimeStateFile(home).read()).isEmpty();
    }

    @Test
    void deleteIfOwn_removesOnlyThisProcessesFile() throws IOException {
        Path file = home.resolve("runtime.properties");
        Files.writeString(file, "jdbcUrl=jdbc:postgresql://localhost/x\npid=1\n");
        new RuntimeStateFile(home).deleteIfOwn();
        assertThat(file).exists();

        RuntimeStateFile own = new RuntimeStateFile(home);
        own.write(DatabaseEndpoint.of("jdbc:postgresql://localhost/x", Optional.empty(), "public"));
        own.deleteIfOwn();
        assertThat(file).doesNotExist();
    }
}
