package dev.steadytext.simulator.policy.steadytext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadytext.api.eviction.CacheEntry;
import dev.steadytext.api.eviction.EvictionPolicy;
import dev.steadytext.api.eviction.EvictionTracker;
import dev.steadytext.api.eviction.Victim;
import dev.steadytext.eviction.internal.LruPolicy;
import dev.steadytext.simulator.policy.AccessEvent;
import dev.steadytext.simulator.policy.Budget;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackerPolicyTest {

    private static final AccessEvent A = new AccessEvent("a", 100, 10);
    private static final AccessEvent B = new AccessEvent("b", 300, 20);
    private static final AccessEvent C = new AccessEvent("c", 200, 30);

    @Test
    void budgetInBytes_evictsUntilTheCacheFits_andCountsBytesAndPenalties() {
        TrackerPolicy lru = new TrackerPolicy("lru", new LruPolicy(), Budget.bytes(400), 1);
        for (AccessEvent e : List.of(A, B, A, C, B, A)) {
            lru.record(e);
        }
        lru.finished();
        // a b: 400 bytes; a hit; c: 600 → evict b (LRU) → a c; b: 600 → evict a, still 500 → evict c; a: 400 fits
        assertThat(lru.stats().hits()).isEqualTo(1);
        assertThat(lru.stats().evictions()).isEqualTo(3);
        assertThat(lru.stats().byteHitRate()).isEqualTo(100.0 / 1_100);
        assertThat(lru.stats().penaltyHitRate()).isEqualTo(10.0 / 100);
    }

    @Test
    void victimThatIsNotCached_failsTheRun() {
        TrackerPolicy policy = new TrackerPolicy("liar", new ForwardingPolicy(new LruPolicy()) {
            @Override
            public EvictionTracker newTracker() {
                return new ForwardingTracker(super.newTracker()) {
                    @Override
                    public List<Victim> victims(int count, long nowMillis) {
                        return List.of(new Victim("ghost", 0, "made up"));
                    }
                };
            }
        }, Budget.entries(1), 1);
        policy.record(A);
        assertThatThrownBy(() -> policy.record(B)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ghost");
    }

    @Test
    void trackerCountingWrongly_failsTheCrossCheck() {
        TrackerPolicy policy = new TrackerPolicy("miscounting", new ForwardingPolicy(new LruPolicy()) {
            @Override
            public EvictionTracker newTracker() {
                return new ForwardingTracker(super.newTracker()) {
                    @Override
                    public long weightBytes() {
                        return 0;
                    }
                };
            }
        }, Budget.entries(5), 1);
        policy.record(A);
        assertThatThrownBy(policy::finished).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("miscounting");
    }

    /** A policy that hands out another's trackers, to be wrapped. */
    private static class ForwardingPolicy implements EvictionPolicy {
        private final EvictionPolicy delegate;

        ForwardingPolicy(EvictionPolicy delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public String description() {
            return delegate.description();
        }

        @Override
        public EvictionTracker newTracker() {
            return delegate.newTracker();
        }

        @Override
        public EvictionTracker restore(byte[] snapshot) {
            return delegate.restore(snapshot);
        }
    }

    /** A tracker that forwards every call, so a test can falsify one. */
    private static class ForwardingTracker implements EvictionTracker {
        private final EvictionTracker delegate;

        ForwardingTracker(EvictionTracker delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onInsert(CacheEntry entry, long nowMillis) {
            delegate.onInsert(entry, nowMillis);
        }

        @Override
        public void onHit(String key, long nowMillis) {
            delegate.onHit(key, nowMillis);
        }

        @Override
        public void onMiss(String key, long nowMillis) {
            delegate.onMiss(key, nowMillis);
        }

        @Override
        public void onEvict(String key) {
            delegate.onEvict(key);
        }

        @Override
        public void onRemove(String key) {
            delegate.onRemove(key);
        }

        @Override
        public List<Victim> victims(int count, long nowMillis) {
            return delegate.victims(count, nowMillis);
        }

        @Override
        public int size() {
            return delegate.size();
        }

        @Override
        public long weightBytes() {
            return delegate.weightBytes();
        }

        @Override
        public String describe(String key, long nowMillis) {
            return delegate.describe(key, nowMillis);
        }

        @Override
        public byte[] snapshot() {
            return delegate.snapshot();
        }
    }
}
