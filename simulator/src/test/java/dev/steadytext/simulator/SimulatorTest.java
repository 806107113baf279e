package dev.steadytext.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorTest {

    @Test
    void smallRun_writesACsvRowPerRun_andAChartPerBudgetKind(@TempDir Path out) throws Exception {
        Path example = Path.of(SimulatorTest.class.getResource("/traces/example-access-log.csv").toURI());
        Simulator.main(new String[] {"--keys", "1000", "--events", "5000", "--no-jmh", "--threads", "2",
                "--out", out.toString(), "--trace-file", example.toString()});
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        // 7 traces × 10 budgets × 9 policies, and the header
        assertThat(rows).hasSize(1 + 7 * 10 * Registry.policies().size());
        assertThat(rows.get(0)).startsWith("trace,bound,capacity,policy,");
        assertThat(rows).anyMatch(r -> r.startsWith("example-access-log,bytes,"));
        assertThat(rows).filteredOn(r -> r.contains(",opt.Clairvoyant,") && r.contains(",entries,"))
                .allMatch(r -> r.contains(",100.0,100.0,100.0,"));
        for (String chart : List.of("hit-rates-entries.svg", "hit-rates-bytes.svg")) {
            String svg = Files.readString(out.resolve(chart));
            assertThat(svg).startsWith("<svg").contains("steadytext.arc").contains("opt.Clairvoyant").endsWith("</svg>\n");
        }
    }

    @Test
    void options_rejectBadValuesByName() {
        assertThatThrownBy(() -> Options.parse("--events", "0")).hasMessageContaining("--events");
        assertThatThrownBy(() -> Options.parse("--bound", "pages")).hasMessageContaining("--bound");
        assertThatThrownBy(() -> Options.parse("--frobnicate", "1")).hasMessageContaining("--frobnicate");
        assertThat(Options.parse("--bound", "bytes").entries()).isFalse();
        assertThatThrownBy(() -> Options.parse("--no-synthetic")).hasMessageContaining("--trace-file");
        assertThat(Options.parse("--no-synthetic", "--trace-file", "t.csv").synthetic()).isFalse();
    }
}
