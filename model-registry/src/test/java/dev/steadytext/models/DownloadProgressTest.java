package dev.steadytext.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.models.DownloadProgress.Phase;
import org.junit.jupiter.api.Test;

class DownloadProgressTest {

    @Test
    void formatBytes_usesPowersOfAThousand() {
        assertThat(DownloadProgress.formatBytes(999)).isEqualTo("999 B");
        assertThat(DownloadProgress.formatBytes(1_185_376)).isEqualTo("1.2 MB");
        assertThat(DownloadProgress.formatBytes(1_069_306_368)).isEqualTo("1.1 GB");
        assertThat(DownloadProgress.formatBytes(999_960)).isEqualTo("1.0 MB");
    }

    @Test
    void describe_transferWithKnownSize_givesPercentSizesAndRate() {
        DownloadProgress progress = new DownloadProgress("gemma-3-1b", Phase.TRANSFERRING, 481_200_000,
                1_069_306_368, 12_300_000, 1);

        assertThat(progress.describe()).isEqualTo("45% (481.2 MB of 1.1 GB) at 12.3 MB/s");
    }

    @Test
    void describe_transferWithUnknownSize_givesBytesAndRate() {
        DownloadProgress progress = new DownloadProgress("x", Phase.TRANSFERRING, 2_000, -1, 1_000, 1);

        assertThat(progress.fraction()).isEqualTo(-1);
        assertThat(progress.describe()).isEqualTo("2.0 kB at 1.0 kB/s");
    }

    @Test
    void describe_secondConnection_saysItReconnects() {
        assertThat(new DownloadProgress("x", Phase.CONNECTING, 400_000, -1, 0, 2).describe())
                .isEqualTo("reconnecting (attempt 2) at 400.0 kB");
    }
}
