package dev.steadytext.simulator.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadytext.simulator.policy.AccessEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SyntheticTraceTest {

    @Test
    void zipf_isDeterministicForItsSeed_andDiffersForAnother() {
        List<AccessEvent> first = SyntheticTrace.zipf(1_000, 0.8, 5_000, 42).events().toList();
        List<AccessEvent> again = SyntheticTrace.zipf(1_000, 0.8, 5_000, 42).events().toList();
        List<AccessEvent> other = SyntheticTrace.zipf(1_000, 0.8, 5_000, 43).events().toList();
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(first).hasSize(5_000);
    }

    @Test
    void zipf_mostPopularKey_hasItsShareOfTheAccesses() {
        // skew 1 over 1,000 keys: P(rank 0) = 1 / H(1000) = 0.1336
        Map<String, Long> counts = SyntheticTrace.zipf(1_000, 1.0, 100_000, 7).events()
                .collect(Collectors.groupingBy(AccessEvent::key, Collectors.counting()));
        long top = counts.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(top / 100_000.0).isBetween(0.128, 0.139);
    }

    @Test
    void sameKey_alwaysHasTheSameSizeAndCost_withinThePlatformsRanges() {
        Map<String, List<AccessEvent>> byKey = SyntheticTrace.zipf(500, 0.9, 20_000, 3).events()
                .collect(Collectors.groupingBy(AccessEvent::key));
        for (List<AccessEvent> events : byKey.values()) {
            assertThat(new HashSet<>(events)).hasSize(1);
            AccessEvent e = events.get(0);
            if (e.weightBytes() == 1_600) {
                assertThat(e.penaltyMillis()).isBetween(2L, 8L);
            } else {
                assertThat(e.weightBytes()).isBetween(200L, 4_096L);
                assertThat(e.penaltyMillis()).isBetween(100L, 30_000L);
            }
        }
        long embeddings = byKey.values().stream().filter(l -> l.get(0).weightBytes() == 1_600).count();
        assertThat(embeddings / (double) byKey.size()).isBetween(0.4, 0.6);
    }

    @Test
    void scanPollutedZipf_scanKeysAreNeverRepeated() {
        List<AccessEvent> events = SyntheticTrace.scanPollutedZipf(1_000, 10_000, 1_000, 300, 5).events().toList();
        Set<String> zipfKeys = events.stream().skip(300).limit(700).map(AccessEvent::key).collect(Collectors.toSet());
        Set<String> scanned = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            if (i % 1_000 < 300) {
                assertThat(scanned.add(events.get(i).key())).as("scan key at %d is new", i).isTrue();
                assertThat(zipfKeys).doesNotContain(events.get(i).key());
            }
        }
        assertThat(scanned).hasSize(3_000);
    }

    @Test
    void loop_repeatsItsKeysInOrder() {
        List<AccessEvent> events = SyntheticTrace.loop(50, 1_000, 10_000, 9).events().toList();
        Map<String, Long> counts = events.stream().collect(Collectors.groupingBy(AccessEvent::key, Collectors.counting()));
        // Half the accesses go round the loop: each of its 50 keys about 100 times.
        long loopKeys = counts.values().stream().filter(c -> c >= 80).count();
        assertThat(loopKeys).isBetween(50L, 60L);
    }

    @Test
    void badArguments_areRejectedByName() {
        assertThatThrownBy(() -> SyntheticTrace.zipf(0, 1, 10, 1)).hasMessageContaining("keys");
        assertThatThrownBy(() -> SyntheticTrace.zipf(10, -1, 10, 1)).hasMessageContaining("skew");
        assertThatThrownBy(() -> SyntheticTrace.zipf(10, 1, 0, 1)).hasMessageContaining("events");
        assertThatThrownBy(() -> SyntheticTrace.scanPollutedZipf(10, 10, 5, 5, 1)).hasMessageContaining("scanLength");
    }
}
