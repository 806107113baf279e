package dev.steadytext.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.steadytext.api.eviction.CacheEntry;
import dev.steadytext.api.eviction.EvictionPolicy;
import dev.steadytext.api.eviction.EvictionTracker;
import dev.steadytext.api.eviction.Victim;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link EvictionPolicy} passes: a test class of a policy extends this one, says which policy it
 * tests, and adds the tests of what makes the policy different.
 *
 * <p>The sequences here are ones every sensible policy agrees on (an entry nobody asked for again goes before entries
 * used since; without hits, entries go in the order they came), plus the bookkeeping the platform relies on: victims
 * are tracked, distinct and stable until the next access; evictions and removals are forgotten; sizes and byte totals
 * add up; calls for unknown keys change nothing; a snapshot restores a tracker that behaves identically; garbage is
 * rejected with {@link IllegalArgumentException}.
 */
public abstract class EvictionPolicyContract {

    /** A clock far from zero, as the platform's epoch milliseconds are; every access advances it by a second. */
    private static final long START_MILLIS = 1_700_000_000_000L;

    protected EvictionTracker tracker;
    private long now = START_MILLIS;

    /** The policy under test, configured as the platform would run it by default. */
    protected abstract EvictionPolicy policy();

    @BeforeEach
    void newTracker() {
        tracker = policy().newTracker();
    }

    /** The time of the latest access made through these helpers. */
    protected long now() {
        return now;
    }

    protected void insert(String key) {
        insert(key, 1_000, 10);
    }

    protected void insert(String key, long sizeBytes, long computeMillis) {
        now += 1_000;
        tracker.onInsert(new CacheEntry(key, sizeBytes, computeMillis), now);
    }

    /** A miss on the key followed by its insert, as the platform reports a computed result. */
    protected void missAndInsert(String key) {
        now += 1_000;
        tracker.onMiss(key, now);
        insert(key);
    }

    protected void hit(String... keys) {
        for (String key : keys) {
            now += 1_000;
            tracker.onHit(key, now);
        }
    }

    protected List<String> victimKeys(int count) {
        return tracker.victims(count, now).stream().map(Victim::key).toList();
    }

    /** Evicts the first victim, as the platform does when the kind is over budget, and returns its key. */
    protected String evictOne() {
        List<Victim> victims = tracker.victims(1, now);
        assertEquals(1, victims.size(), "one victim from a non-empty tracker");
        tracker.onEvict(victims.get(0).key());
        return victims.get(0).key();
    }

    @Test
    void policy_hasAValidNameAndADescription_andMakesIndependentTrackers() {
        EvictionPolicy policy = policy();
        assertTrue(policy.name().matches("[a-z0-9_-]+"), "name '" + policy.name() + "'");
        assertFalse(policy.description().isBlank(), "description");
        EvictionTracker other = policy.newTracker();
        assertNotSame(tracker, other);
        insert("a");
        assertEquals(0, other.size(), "a second tracker shares nothing with the first");
    }

    @Test
    void newTracker_isEmpty() {
        assertEquals(0, tracker.size());
        assertEquals(0, tracker.weightBytes());
        assertEquals(List.of(), tracker.victims(10, now));
        assertNull(tracker.describe("a", now));
    }

    @Test
    void onInsert_countsEntriesAndBytes_andReinsertReplacesTheSize() {
        insert("a", 100, 5);
        insert("b", 250, 5);
        assertEquals(2, tracker.size());
        assertEquals(350, tracker.weightBytes());
        insert("a", 40, 5);
        assertEquals(2, tracker.size(), "a key inserted again is still one entry");
        assertEquals(290, tracker.weightBytes());
    }

    @Test
    void victims_withoutHits_comeInInsertionOrder() {
        for (String key : List.of("a", "b", "c", "d", "e")) {
            missAndInsert(key);
        }
        assertEquals(List.of("a", "b", "c", "d", "e"), victimKeys(5));
    }

    @Test
    void victims_startWithTheEntryNobodyAskedForAgain() {
        missAndInsert("cold");
        for (String key : List.of("a", "b", "c")) {
            missAndInsert(key);
        }
        hit("a", "b", "c", "a", "b", "c");
        assertEquals("cold", victimKeys(1).get(0));
        assertEquals("cold", victimKeys(4).get(0));
    }

    @Test
    void victims_inTheMiddleOfTheQueue_startWithTheOneNotHit() {
        for (String key : List.of("a", "b", "c", "d")) {
            missAndInsert(key);
        }
        hit("a", "c", "d", "a", "c", "d");
        assertEquals("b", victimKeys(1).get(0));
    }

    @Test
    void victims_areStableUntilTheNextAccess_andAShorterListIsAPrefixOfALongerOne() {
        runWorkload(new Workload(7, 30), 300);
        List<Victim> first = tracker.victims(8, now);
        assertEquals(first, tracker.victims(8, now), "two calls with no access in between");
        for (int n = 0; n <= 8; n++) {
            assertEquals(first.subList(0, n), tracker.victims(n, now), "victims(" + n + ")");
        }
    }

    @Test
    void victims_areDistinctTrackedEntries_withReasonsAndFiniteScores() {
        runWorkload(new Workload(11, 30), 300);
        List<Victim> victims = tracker.victims(1_000, now);
        assertEquals(tracker.size(), victims.size(), "asking for more than there are gives all");
        Set<String> keys = new HashSet<>();
        for (Victim victim : victims) {
            assertTrue(keys.add(victim.key()), "duplicate victim " + victim.key());
            assertNotNull(tracker.describe(victim.key(), now), "victim " + victim.key() + " is tracked");
            assertFalse(victim.reason().isBlank(), "reason");
            assertTrue(Double.isFinite(victim.score()), "score " + victim.score());
        }
        assertEquals(List.of(), tracker.victims(0, now));
        assertThrows(IllegalArgumentException.class, () -> tracker.victims(-1, now));
    }

    @Test
    void onEvict_forgetsTheEntry_andItsBytes() {
        insert("a", 100, 5);
        insert("b", 200, 5);
        insert("c", 300, 5);
        String victim = evictOne();
        assertEquals(2, tracker.size());
        assertEquals(600 - Map.of("a", 100, "b", 200, "c", 300).get(victim), tracker.weightBytes());
        assertNull(tracker.describe(victim, now));
        assertFalse(victimKeys(10).contains(victim));
        tracker.onEvict(victim);
        assertEquals(2, tracker.size(), "evicting twice is ignored");
        missAndInsert(victim);
        assertEquals(3, tracker.size(), "an evicted key comes back as an entry");
    }

    @Test
    void onRemove_forgetsAnyEntry_notOnlyVictims() {
        insert("a", 100, 5);
        insert("b", 200, 5);
        insert("c", 300, 5);
        tracker.onRemove("b");
        assertEquals(2, tracker.size());
        assertEquals(400, tracker.weightBytes());
        assertNull(tracker.describe("b", now));
        assertFalse(victimKeys(10).contains("b"));
        insert("b", 50, 5);
        assertEquals(3, tracker.size());
        assertEquals(450, tracker.weightBytes());
    }

    @Test
    void callsForUnknownKeys_changeNothing() {
        runWorkload(new Workload(13, 30), 200);
        List<Victim> before = tracker.victims(10, now);
        int size = tracker.size();
        long weight = tracker.weightBytes();
        tracker.onHit("unknown", now);
        tracker.onEvict("unknown");
        tracker.onRemove("unknown");
        assertEquals(before, tracker.victims(10, now));
        assertEquals(size, tracker.size());
        assertEquals(weight, tracker.weightBytes());
        assertNull(tracker.describe("unknown", now));
    }

    @Test
    void describe_isShortForTrackedEntries() {
        runWorkload(new Workload(17, 30), 200);
        for (String key : victimKeys(100)) {
            String description = tracker.describe(key, now);
            assertNotNull(description, key);
            assertTrue(!description.isBlank() && description.length() <= 40, "'" + description + "'");
        }
    }

    @Test
    void nullArguments_areRejectedByName() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> tracker.onHit(null, now));
        assertTrue(String.valueOf(e.getMessage()).contains("key"), e.getMessage());
        e = assertThrows(NullPointerException.class, () -> tracker.onInsert(null, now));
        assertTrue(String.valueOf(e.getMessage()).contains("entry"), e.getMessage());
    }

    @Test
    void randomWorkload_keepsSizeAndBytesEqualToWhatWasInsertedAndNotRemoved() {
        Workload workload = new Workload(19, 40);
        for (int i = 0; i < 2_000; i++) {
            workload.step();
            assertEquals(workload.resident.size(), tracker.size(), "size after step " + i);
            assertEquals(workload.residentBytes(), tracker.weightBytes(), "bytes after step " + i);
        }
        for (String key : victimKeys(100)) {
            assertTrue(workload.resident.containsKey(key), "victim " + key + " is resident");
        }
    }

    @Test
    void snapshot_restoresATrackerWithIdenticalFutureVictims() {
        Workload workload = new Workload(23, 40);
        runWorkload(workload, 1_500);
        EvictionTracker original = tracker;
        EvictionTracker restored = policy().restore(original.snapshot());
        assertEquals(original.size(), restored.size());
        assertEquals(original.weightBytes(), restored.weightBytes());
        assertEquals(original.victims(50, now), restored.victims(50, now));

        // The same future on both: each step runs on the original, then (same seed) on the restored tracker.
        Workload twin = workload.copy();
        for (int i = 0; i < 1_000; i++) {
            tracker = original;
            workload.step();
            tracker = restored;
            twin.step();
            assertEquals(original.victims(5, now), restored.victims(5, now), "victims after step " + i);
            String probe = "k" + i % 40;
            assertEquals(original.describe(probe, now), restored.describe(probe, now), "describe " + probe);
        }
        tracker = original;
        assertEquals(original.weightBytes(), restored.weightBytes());
        assertTrue(Arrays.equals(original.snapshot(), restored.snapshot()), "snapshots after the same future");
    }

    @Test
    void snapshot_ofAnEmptyTracker_restoresAnEmptyTracker() {
        EvictionTracker restored = policy().restore(tracker.snapshot());
        assertEquals(0, restored.size());
        assertEquals(List.of(), restored.victims(5, now));
    }

    @Test
    void restore_rejectsGarbage_truncatedAndExtendedSnapshots() {
        SplittableRandom random = new SplittableRandom(29);
        assertRejected(new byte[0], "empty");
        for (int i = 0; i < 200; i++) {
            byte[] garbage = new byte[1 + random.nextInt(64)];
            random.nextBytes(garbage);
            assertRejected(garbage, "random bytes #" + i);
        }
        runWorkload(new Workload(31, 10), 60);
        byte[] snapshot = tracker.snapshot();
        for (int length = 0; length < snapshot.length; length++) {
            assertRejected(Arrays.copyOf(snapshot, length), "the first " + length + " of " + snapshot.length + " bytes");
        }
        assertRejected(Arrays.copyOf(snapshot, snapshot.length + 1), "one byte appended");
    }

    private void assertRejected(byte[] snapshot, String what) {
        try {
            policy().restore(snapshot);
            fail("restore accepted " + what);
        } catch (IllegalArgumentException expected) {
            // what the platform catches to fall back to a new tracker
        }
    }

    /** Runs steps of a workload on the current tracker. */
    protected void runWorkload(Workload workload, int steps) {
        for (int i = 0; i < steps; i++) {
            workload.step();
        }
    }

    /**
     * A seeded random cache workload over {@code keys} keys, skewed towards low-numbered keys, on a cache of a third
     * of them: a lookup hits or misses-and-inserts, the first victim goes while the cache is over its budget of
     * entries, and now and then an entry is removed by hand. It keeps its own clock, so that a copy makes exactly the
     * same calls at the same times.
     */
    protected final class Workload {

        private final long seed;
        private final int keys;
        private final Map<String, Long> resident;
        private long steps;
        private long time;

        public Workload(long seed, int keys) {
            this(seed, keys, new LinkedHashMap<>(), 0, now);
        }

        private Workload(long seed, int keys, Map<String, Long> resident, long steps, long time) {
            this.seed = seed;
            this.keys = keys;
            this.resident = resident;
            this.steps = steps;
            this.time = time;
        }

        /** A workload that will make the same calls as this one from now on. */
        public Workload copy() {
            return new Workload(seed, keys, new LinkedHashMap<>(resident), steps, time);
        }

        public void step() {
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + steps++);
            double u = random.nextDouble();
            String key = "k" + (int) (keys * u * u);
            long sizeBytes = 100 + random.nextInt(4_000);
            long computeMillis = 1 + random.nextInt(30_000);
            boolean removeByHand = random.nextInt(50) == 0;
            time += 1 + random.nextInt(5_000);
            now = time;
            if (resident.containsKey(key)) {
                tracker.onHit(key, now);
            } else {
                tracker.onMiss(key, now);
                tracker.onInsert(new CacheEntry(key, sizeBytes, computeMillis), now);
                resident.put(key, sizeBytes);
            }
            while (resident.size() > keys / 3) {
                List<Victim> victims = tracker.victims(1, now);
                assertEquals(1, victims.size(), "a victim from a tracker over budget");
                assertNotNull(resident.remove(victims.get(0).key()), "victim is resident");
                tracker.onEvict(victims.get(0).key());
            }
            if (removeByHand && !resident.isEmpty()) {
                List<String> present = new ArrayList<>(resident.keySet());
                String removed = present.get(random.nextInt(present.size()));
                resident.remove(removed);
                tracker.onRemove(removed);
            }
        }

        long residentBytes() {
            return resident.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
