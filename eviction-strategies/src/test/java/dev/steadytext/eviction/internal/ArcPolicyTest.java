package dev.steadytext.eviction.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.api.eviction.CacheEntry;
import dev.steadytext.api.eviction.EvictionPolicy;
import dev.steadytext.api.eviction.EvictionTracker;
import dev.steadytext.api.eviction.Victim;
import dev.steadytext.testkit.EvictionPolicyContract;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArcPolicyTest extends EvictionPolicyContract {

    /** Every entry here weighs 999 + 1 = 1000 units in ARC's arithmetic, so p counts thousandths of entries. */
    private static final long SIZE = 999;

    private final ArcTracker arc = new ArcTracker();
    private long time;

    @Override
    protected EvictionPolicy policy() {
        return new ArcPolicy();
    }

    private void request(String key) {
        time++;
        if (arc.describe(key, time) != null) {
            arc.onHit(key, time);
        } else {
            arc.onMiss(key, time);
            arc.onInsert(new CacheEntry(key, SIZE, 1), time);
        }
    }

    private String evict() {
        Victim victim = arc.victims(1, time).get(0);
        arc.onEvict(victim.key());
        return victim.key();
    }

    /** Four entries, two of them used again: T1 = {a, b}, T2 = {c, d}; then a goes to B1. */
    private void fourEntriesThenOneEvictedFromT1() {
        for (String key : List.of("a", "b", "c", "d", "c", "d")) {
            request(key);
        }
        assertThat(arc.describe("a", time)).isEqualTo("T1");
        assertThat(arc.describe("c", time)).isEqualTo("T2");
        assertThat(evict()).isEqualTo("a");
        assertThat(arc.ghosts(ArcTracker.B1)).isEqualTo(1);
    }

    @Test
    void miss_ghostHitInB1_growsTheTargetForT1_andBringsTheEntryBackIntoT2() {
        fourEntriesThenOneEvictedFromT1();
        assertThat(arc.target()).isZero();
        arc.onMiss("a", ++time);
        // p = min{c, p + max{|B2|/|B1|, 1}} = 0 + 1 entry
        assertThat(arc.target()).isEqualTo(1_000);
        arc.onInsert(new CacheEntry("a", SIZE, 1), time);
        assertThat(arc.target()).as("the insert after the miss adapts no further").isEqualTo(1_000);
        assertThat(arc.describe("a", time)).isEqualTo("T2");
        assertThat(arc.ghosts(ArcTracker.B1)).isZero();
    }

    @Test
    void insert_ofAGhostReportedWithoutAMiss_adaptsOnce() {
        fourEntriesThenOneEvictedFromT1();
        arc.onInsert(new CacheEntry("a", SIZE, 1), ++time);
        assertThat(arc.target()).isEqualTo(1_000);
    }

    @Test
    void miss_ghostHitInB2_shrinksTheTarget() {
        fourEntriesThenOneEvictedFromT1();
        request("a"); // B1 hit: p = 1000, a in T2; T1 = {b} (1000 ≤ p), T2 = {c, d, a}
        assertThat(evict()).as("T1 is not over its target: REPLACE takes T2's LRU").isEqualTo("c");
        assertThat(arc.ghosts(ArcTracker.B2)).isEqualTo(1);
        arc.onMiss("c", ++time);
        // p = max{0, p − max{|B1|/|B2|, 1}} = 1000 − 1000
        assertThat(arc.target()).isZero();
        arc.onInsert(new CacheEntry("c", SIZE, 1), time);
        assertThat(arc.describe("c", time)).isEqualTo("T2");
    }

    @Test
    void miss_ghostHitInB1_whenB2IsLonger_stepsByTheRatioOfTheGhostLists() {
        for (String key : List.of("a", "b", "c", "d", "a", "b", "c", "d")) {
            request(key);
        }
        assertThat(evict()).isEqualTo("a"); // T1 is empty: REPLACE takes T2's LRU
        assertThat(evict()).isEqualTo("b");
        request("new");
        assertThat(evict()).isEqualTo("new"); // T1 = {new} is over p = 0
        assertThat(arc.ghosts(ArcTracker.B2)).isEqualTo(2);
        assertThat(arc.ghosts(ArcTracker.B1)).isEqualTo(1);
        arc.onMiss("new", ++time);
        // p = min{c, p + max{|B2|/|B1|, 1}} = 0 + 2 entries
        assertThat(arc.target()).isEqualTo(2_000);
    }

    @Test
    void scan_ofKeysUsedOnce_leavesTheEntriesUsedTwiceAlone() {
        assertThat(hotKeysLeftAfterAScan(new ArcPolicy().newTracker())).isEqualTo(10);
        assertThat(hotKeysLeftAfterAScan(new LruPolicy().newTracker())).as("LRU, for contrast").isZero();
    }

    /** Ten hot keys used twice, then a scan of 1,000 keys used once through a cache of 20 entries. */
    private static int hotKeysLeftAfterAScan(EvictionTracker tracker) {
        long t = 0;
        for (int round = 0; round < 2; round++) {
            for (int h = 0; h < 10; h++) {
                if (round == 0) {
                    tracker.onInsert(new CacheEntry("hot" + h, SIZE, 1), ++t);
                } else {
                    tracker.onHit("hot" + h, ++t);
                }
            }
        }
        for (int s = 0; s < 1_000; s++) {
            tracker.onMiss("scan" + s, ++t);
            tracker.onInsert(new CacheEntry("scan" + s, SIZE, 1), t);
            while (tracker.size() > 20) {
                tracker.onEvict(tracker.victims(1, t).get(0).key());
            }
        }
        int left = 0;
        for (int h = 0; h < 10; h++) {
            left += tracker.describe("hot" + h, t) != null ? 1 : 0;
        }
        return left;
    }

    @Test
    void ghosts_stayWithinTwiceTheCache() {
        for (int i = 0; i < 500; i++) {
            request("k" + (i * 7919 % 97));
            while (arc.size() > 10) {
                evict();
            }
            assertThat(arc.size() + arc.ghosts(ArcTracker.B1) + arc.ghosts(ArcTracker.B2))
                    .as("|T1| + |T2| + |B1| + |B2| after request %d", i).isLessThanOrEqualTo(21);
        }
    }

    @Test
    void budgetInBytes_entriesOfMixedSizes_adaptByTheirWeight() {
        // a large entry (9,999 bytes) and small ones; the large one's ghost hit moves p by its weight
        arc.onInsert(new CacheEntry("large", 9_999, 1), ++time);
        for (String key : List.of("s1", "s2", "s3")) {
            arc.onInsert(new CacheEntry(key, SIZE, 1), ++time);
            arc.onHit(key, ++time);
        }
        assertThat(evict()).isEqualTo("large");
        arc.onMiss("large", ++time);
        assertThat(arc.target()).isEqualTo(10_000);
    }
}
