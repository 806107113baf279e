package dev.steadytext.eviction.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.api.eviction.CacheEntry;
import dev.steadytext.api.eviction.EvictionPolicy;
import dev.steadytext.testkit.EvictionPolicyContract;
import org.junit.jupiter.api.Test;

class LfuPolicyTest extends EvictionPolicyContract {

    @Override
    protected EvictionPolicy policy() {
        return new LfuPolicy();
    }

    /** The sequence that tells LFU from LRU (see LruPolicyTest): the favourite stays, the newcomers go. */
    @Test
    void victims_keepTheIdleFavourite_andEvictEntriesUsedOnce() {
        insert("favourite");
        hit("favourite", "favourite", "favourite", "favourite");
        insert("new1");
        insert("new2");
        assertThat(victimKeys(3)).containsExactly("new1", "new2", "favourite");
        assertThat(tracker.describe("favourite", now())).isEqualTo("count=5.00");
    }

    @Test
    void aging_halvesEveryCount_afterThePeriod() {
        LfuTracker lfu = new LfuTracker(1, 10, 0);
        lfu.onInsert(new CacheEntry("a", 10, 1), 0);
        for (int i = 0; i < 8; i++) {
            lfu.onHit("a", 0);
        }
        assertThat(lfu.describe("a", 0)).isEqualTo("count=9.00");
        lfu.onHit("a", 0); // the tenth access: 10 halves to 5
        assertThat(lfu.describe("a", 0)).isEqualTo("count=5.00");
    }

    /**
     * An old favourite (10 uses) against a new entry used 9 times since: without aging the favourite stays; with
     * counts halving every 10 accesses its 10 became 5, and it goes.
     */
    @Test
    void aging_letsANewPopularEntryOvertakeAnOldFavourite() {
        assertThat(victimAfterOldFavouriteAndNewPopular(new LfuTracker(1, 1_000_000, 0))).isEqualTo("new");
        assertThat(victimAfterOldFavouriteAndNewPopular(new LfuTracker(1, 10, 0))).isEqualTo("old");
    }

    private static String victimAfterOldFavouriteAndNewPopular(LfuTracker lfu) {
        lfu.onInsert(new CacheEntry("old", 10, 1), 0);
        for (int i = 0; i < 9; i++) {
            lfu.onHit("old", 0);
        }
        lfu.onInsert(new CacheEntry("new", 10, 1), 0);
        for (int i = 0; i < 8; i++) {
            lfu.onHit("new", 0);
        }
        return lfu.victims(1, 0).get(0).key();
    }

    @Test
    void aging_periodGrowsWithTheNumberOfEntries() {
        LfuTracker lfu = new LfuTracker(2, 1, 0);
        for (int i = 0; i < 5; i++) {
            lfu.onInsert(new CacheEntry("k" + i, 10, 1), 0);
        }
        // 5 entries, 2 accesses per entry: counts halve at the 10th access, not before.
        for (int i = 0; i < 4; i++) {
            lfu.onHit("k0", 0);
        }
        assertThat(lfu.describe("k0", 0)).isEqualTo("count=5.00");
        lfu.onHit("k0", 0);
        assertThat(lfu.describe("k0", 0)).isEqualTo("count=3.00");
        assertThat(lfu.describe("k1", 0)).isEqualTo("count=0.500");
    }

    @Test
    void history_aKeyEvictedAndBack_resumesItsCount() {
        LfuTracker lfu = new LfuTracker(30, 1_000, 1);
        lfu.onInsert(new CacheEntry("popular", 10, 1), 0);
        lfu.onHit("popular", 0);
        lfu.onHit("popular", 0);
        lfu.onInsert(new CacheEntry("other", 10, 1), 0);
        lfu.onEvict("popular");
        lfu.onInsert(new CacheEntry("popular", 10, 1), 0);
        assertThat(lfu.describe("popular", 0)).isEqualTo("count=4.00");
        assertThat(lfu.victims(1, 0).get(0).key()).isEqualTo("other");
    }

    @Test
    void history_isForgottenOnRemove_andBoundedByTheNumberOfEntries() {
        LfuTracker lfu = new LfuTracker(30, 1_000, 1);
        lfu.onInsert(new CacheEntry("a", 10, 1), 0);
        lfu.onHit("a", 0);
        lfu.onInsert(new CacheEntry("b", 10, 1), 0);
        lfu.onEvict("a");
        lfu.onRemove("a");
        lfu.onInsert(new CacheEntry("a", 10, 1), 0);
        assertThat(lfu.describe("a", 0)).as("removed by hand: no history").isEqualTo("count=1.00");

        LfuTracker small = new LfuTracker(30, 1_000, 1);
        for (String key : new String[] {"x", "y", "z"}) {
            small.onInsert(new CacheEntry(key, 10, 1), 0);
            small.onHit(key, 0);
        }
        small.onEvict("x"); // 2 entries left: history holds 2
        small.onEvict("y"); // 1 entry left: history holds 1, x is forgotten
        small.onInsert(new CacheEntry("x", 10, 1), 0);
        small.onInsert(new CacheEntry("y", 10, 1), 0);
        assertThat(small.describe("x", 0)).isEqualTo("count=1.00");
        assertThat(small.describe("y", 0)).isEqualTo("count=3.00");
    }

    @Test
    void history_agesWithTheCounts() {
        LfuTracker lfu = new LfuTracker(1, 4, 1);
        lfu.onInsert(new CacheEntry("a", 10, 1), 0);
        lfu.onHit("a", 0);
        lfu.onHit("a", 0); // count 3
        lfu.onInsert(new CacheEntry("b", 10, 1), 0); // the 4th access: counts halve, a = 1.5
        lfu.onEvict("a");
        for (int i = 0; i < 4; i++) {
            lfu.onHit("b", 0); // the 8th access: counts halve again
        }
        lfu.onInsert(new CacheEntry("a", 10, 1), 0);
        assertThat(lfu.describe("a", 0)).isEqualTo("count=1.75");
    }
}
