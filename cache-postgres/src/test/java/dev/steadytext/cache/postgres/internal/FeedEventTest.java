package dev.steadytext.cache.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.cache.postgres.internal.FeedEvent.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedEventTest {

    private static FeedEvent event(Type type, String key, long micros) {
        return new FeedEvent(type, "generation", key, micros, 0, 0);
    }

    @Test
    void merge_ordersByTime_keepingTheChangesOwnOrder() {
        List<FeedEvent> changes = List.of(event(Type.INSERT, "a", 10), event(Type.DELETE, "a", 5), event(Type.INSERT, "b", 30));
        List<FeedEvent> accesses = List.of(event(Type.HIT, "x", 1), event(Type.HIT, "y", 20), event(Type.HIT, "z", 40));

        assertThat(FeedEvent.merge(changes, accesses)).extracting(FeedEvent::key)
                .containsExactly("x", "a", "a", "y", "b", "z");
    }

    @Test
    void merge_atTheSameInstant_putsAMissBeforeTheInsertAndAHitAfterIt() {
        List<FeedEvent> changes = List.of(event(Type.INSERT, "k", 7));
        List<FeedEvent> accesses = List.of(event(Type.MISS, "k", 7), event(Type.HIT, "k", 7));

        assertThat(FeedEvent.merge(changes, accesses)).extracting(FeedEvent::type)
                .containsExactly(Type.MISS, Type.INSERT, Type.HIT);
    }

    @Test
    void millis_truncatesMicroseconds() {
        assertThat(event(Type.HIT, "k", 1_234_999).millis()).isEqualTo(1_234);
    }
}
