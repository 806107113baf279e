package dev.steadytext.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClaimSizeTest {

    @Test
    void next_startsWithOneJob() {
        assertThat(new ClaimSize(64, 50).next()).isOne();
    }

    @Test
    void next_fastJobs_growTowardsTheMaximum() {
        ClaimSize size = new ClaimSize(64, 50);
        size.record(1, 500_000); // 0.5 ms per job

        assertThat(size.next()).isEqualTo(64);
    }

    @Test
    void next_slowJobs_stayAtOne() {
        ClaimSize size = new ClaimSize(64, 50);
        size.record(4, 4_000_000_000L); // 1 s per job

        assertThat(size.next()).isOne();
    }

    @Test
    void next_followsAChangeOfPace() {
        ClaimSize size = new ClaimSize(64, 50);
        size.record(10, 10_000_000); // 1 ms per job: 50 per claim
        for (int i = 0; i < 20; i++) {
            size.record(1, 25_000_000); // then 25 ms per job
        }

        assertThat(size.next()).isEqualTo(2);
    }
}
