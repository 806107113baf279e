package dev.steadytext.simulator.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadytext.simulator.policy.AccessEvent;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTraceReaderTest {

    private static Path example() throws URISyntaxException {
        return Path.of(CsvTraceReaderTest.class.getResource("/traces/example-access-log.csv").toURI());
    }

    @Test
    void exampleTrace_readsEveryAccess_inOrder() throws Exception {
        CsvTraceReader reader = new CsvTraceReader(example());
        List<AccessEvent> events = reader.events().toList();
        assertThat(reader.name()).isEqualTo("example-access-log");
        assertThat(events).hasSize(2_000);
        assertThat(events.get(0)).isEqualTo(new AccessEvent("0f650638b5b94af3", 1_600, 5));
        assertThat(events.stream().map(AccessEvent::key).distinct().count()).isEqualTo(336);
        assertThat(reader.events().toList()).as("a second read replays the same trace").isEqualTo(events);
    }

    @Test
    void malformedLine_isRejectedWithItsNumber(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, CsvTraceReader.HEADER + "\nabc,100,5\nabc,many,5\n");
        assertThatThrownBy(() -> new CsvTraceReader(file).events().toList())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 3");
        Files.writeString(file, "abc,100\n");
        assertThatThrownBy(() -> new CsvTraceReader(file).events().toList()).hasMessageContaining("line 1");
        Files.writeString(file, "abc,-1,5\n");
        assertThatThrownBy(() -> new CsvTraceReader(file).events().toList()).hasMessageContaining("weightBytes");
    }
}
