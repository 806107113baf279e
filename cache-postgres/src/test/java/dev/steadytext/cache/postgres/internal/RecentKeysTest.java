package dev.steadytext.cache.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentKeysTest {

    @Test
    void expire_forgetsKeysLastTouchedAtLeastProtectMillisAgo() {
        RecentKeys recent = new RecentKeys(1_000);
        recent.touch("old", 0);
        recent.touch("new", 500);
        recent.touch("old", 900); // touched again: protected from its latest touch

        recent.expire(1_600);

        assertThat(recent.contains("new")).isFalse();
        assertThat(recent.contains("old")).isTrue();
        assertThat(recent.size()).isEqualTo(1);
    }

    @Test
    void touch_withoutProtection_remembersNothing() {
        RecentKeys recent = new RecentKeys(0);
        recent.touch("k", 1);
        assertThat(recent.contains("k")).isFalse();
    }
}
