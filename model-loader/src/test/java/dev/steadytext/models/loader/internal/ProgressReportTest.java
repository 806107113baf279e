package dev.steadytext.models.loader.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.models.DownloadProgress;
import dev.steadytext.models.DownloadProgress.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProgressReportTest {

    private final List<String> rows = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private long now;
    private final ProgressReport report = new ProgressReport((text, done, total) -> rows.add(done + "/" + total),
            log::add, () -> now);

    @Test
    void download_bytesArrivingFast_writeTheRowTwiceASecondAndTheLogEveryTenSeconds_butEachPhaseAtOnce() {
        report.download(progress(Phase.CONNECTING, 0));
        for (int tenth = 1; tenth <= 120; tenth++) { // 12 s of transfer, a report every 100 ms
            now = TimeUnit.MILLISECONDS.toNanos(100L * tenth);
            report.download(progress(Phase.TRANSFERRING, tenth * 1000L));
        }
        report.download(progress(Phase.VERIFYING, 120_000));

        assertThat(rows).hasSize(1 + 1 + 23 + 1).startsWith("0/200000", "1000/200000").endsWith("120000/200000");
        assertThat(log).hasSize(1 + 1 + 1 + 1);
        assertThat(log.get(1)).startsWith("downloading: 1% (1.0 kB of 200.0 kB)");
        assertThat(report.last()).isEqualTo("downloading: verifying the SHA-256 of 120.0 kB");
    }

    @Test
    void step_isWrittenAndLoggedAtOnce_withoutByteCounts() {
        report.step("loading into llama.cpp");

        assertThat(rows).containsExactly("-1/-1");
        assertThat(log).containsExactly("loading into llama.cpp");
    }

    private static DownloadProgress progress(Phase phase, long done) {
        return new DownloadProgress("tiny", phase, done, 200_000, 10_000, 1);
    }
}
