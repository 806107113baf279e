package dev.steadytext.eviction.sieve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.api.eviction.EvictionPolicy;
import dev.steadytext.testkit.EvictionPolicyContract;
import org.junit.jupiter.api.Test;

class SievePolicyTest extends EvictionPolicyContract {

    @Override
    protected EvictionPolicy policy() {
        return new SievePolicy();
    }

    @Test
    void victims_skipVisitedEntries_andTakeThemOnlyAfterTheUnvisitedOnes() {
        for (String key : new String[] {"a", "b", "c", "d", "e"}) {
            insert(key);
        }
        hit("a", "c");
        assertThat(victimKeys(5)).containsExactly("b", "d", "e", "a", "c");
        assertThat(tracker.describe("a", now())).isEqualTo("visited");
        assertThat(tracker.describe("b", now())).isEqualTo("not visited");
    }

    @Test
    void evict_clearsTheBitsTheHandPasses_andTheHandStaysWhereItStopped() {
        for (String key : new String[] {"a", "b", "c", "d"}) {
            insert(key);
        }
        hit("a", "b");
        assertThat(evictOne()).isEqualTo("c"); // the hand passed a and b, clearing them, and stops after c
        assertThat(tracker.describe("a", now())).isEqualTo("not visited");
        insert("e");
        hit("d");
        // From the hand (at d): d visited (cleared), e not visited -> e; wrap: a, b not visited any more.
        assertThat(victimKeys(4)).containsExactly("e", "a", "b", "d");
        assertThat(evictOne()).isEqualTo("e");
        assertThat(victimKeys(3)).containsExactly("a", "b", "d");
    }

    @Test
    void newEntries_goBehindTheHand_soOldUnvisitedEntriesGoFirst() {
        for (String key : new String[] {"a", "b", "c"}) {
            insert(key);
        }
        hit("a", "b", "c");
        assertThat(evictOne()).isEqualTo("a"); // all visited: one full sweep clears them, a goes
        insert("d");
        assertThat(victimKeys(3)).containsExactly("b", "c", "d");
    }
}
