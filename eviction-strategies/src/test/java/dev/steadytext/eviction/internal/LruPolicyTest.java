package dev.steadytext.eviction.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.api.eviction.EvictionPolicy;
import dev.steadytext.testkit.EvictionPolicyContract;
import org.junit.jupiter.api.Test;

class LruPolicyTest extends EvictionPolicyContract {

    @Override
    protected EvictionPolicy policy() {
        return new LruPolicy();
    }

    /** The sequence that tells LRU from LFU: a favourite used often, then idle while two newcomers are used once. */
    @Test
    void victims_evictTheIdleFavourite_beforeEntriesUsedOnceSince() {
        insert("favourite");
        hit("favourite", "favourite", "favourite", "favourite");
        insert("new1");
        insert("new2");
        assertThat(victimKeys(3)).containsExactly("favourite", "new1", "new2");
    }

    @Test
    void hit_movesTheEntryToTheEndOfTheQueue() {
        insert("a");
        insert("b");
        insert("c");
        hit("a");
        assertThat(victimKeys(3)).containsExactly("b", "c", "a");
        assertThat(tracker.describe("a", now())).isEqualTo("idle 0 s");
        assertThat(tracker.describe("b", now())).isEqualTo("idle 2 s");
    }
}
