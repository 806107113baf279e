package dev.steadytext.cache.postgres.internal;

import dev.steadytext.api.eviction.EvictionTracker;
import dev.steadytext.api.eviction.Victim;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Deletes a policy's victims until a kind fits its budget: in batches of at most {@link ServiceSettings#batchSize()}
 * rows, each batch one short transaction with one DELETE (so an entry is wholly there or wholly gone, and a reader,
 * who takes no lock, is never blocked), and one {@code steadytext_eviction_log} row per round that evicted anything.
 *
 * <p>Victims inserted or hit in the last {@code protectMillis} (the leader's {@link RecentKeys}, and in SQL an entry
 * created that recently) are skipped; so is a victim the cache no longer has, which the trackers then forget.
 */
final class Evictor {

    private static final Logger LOG = System.getLogger(Evictor.class.getName());

    /** An entry to evict: the policy's victim and its size. */
    record Candidate(Victim victim, long sizeBytes) {
    }

    /** What one round did. */
    record Round(String kind, String policy, long evicted, long evictedBytes, long entriesAfter, long bytesAfter) {
    }

    private final Connection connection;
    private final ServiceSettings settings;
    private final RecentKeys recent;
    private final DbClock clock;
    /** Marks this leader's own deletions, which the change feed then does not record. */
    private final String evictorId = UUID.randomUUID().toString();

    Evictor(Connection connection, ServiceSettings settings, RecentKeys recent, DbClock clock) {
        this.connection = connection;
        this.settings = settings;
        this.recent = recent;
        this.clock = clock;
    }

    /**
     * Evicts {@code chooser}'s victims until its kind fits {@code budget} or {@code deadlineNanos} (a
     * {@link System#nanoTime()}) passes.
     *
     * @param others trackers that must forget what is evicted (the running tracker, when another policy chooses)
     * @param trigger budget, manual or scheduled, for the history
     */
    Round evict(KindTracker chooser, List<EvictionTracker> others, Budget budget, String trigger, UUID requestId,
            long deadlineNanos) throws SQLException {
        EvictionTracker tracker = chooser.peek();
        long startedMillis = clock.nowMillis();
        long startedNanos = System.nanoTime();
        long entriesBefore = tracker.size();
        long bytesBefore = tracker.weightBytes();
        long evicted = 0;
        long evictedBytes = 0;
        Set<String> skipped = new HashSet<>();
        while (System.nanoTime() - deadlineNanos < 0) {
            long excessEntries = budget.excessEntries(tracker.size());
            long excessBytes = budget.excessBytes(tracker.weightBytes());
            if (excessEntries == 0 && excessBytes == 0) {
                break;
            }
            int skippedBefore = skipped.size();
            int sizeBefore = tracker.size();
            List<Candidate> candidates = candidates(chooser, others, settings.batchSize(), skipped);
            List<String> chosen = new ArrayList<>();
            long chosenBytes = 0;
            for (Candidate candidate : candidates) {
                if (chosen.size() >= excessEntries && chosenBytes >= excessBytes) {
                    break;
                }
                chosen.add(candidate.victim().key());
                chosenBytes += candidate.sizeBytes();
            }
            Map<String, Long> gone = delete(chooser.kind(), chosen);
            for (Map.Entry<String, Long> entry : gone.entrySet()) {
                chooser.tracker().onEvict(entry.getKey());
                others.forEach(other -> other.onRemove(entry.getKey()));
                evicted++;
                evictedBytes += entry.getValue();
            }
            chosen.stream().filter(key -> !gone.containsKey(key)).forEach(skipped::add);
            boolean progressed = !gone.isEmpty() || skipped.size() > skippedBefore || tracker.size() < sizeBefore;
            if (!progressed) {
                break; // every remaining victim is protected
            }
        }
        Round round = new Round(chooser.kind(), chooser.policyName(), evicted, evictedBytes, tracker.size(),
                tracker.weightBytes());
        if (evicted > 0) {
            double millis = (System.nanoTime() - startedNanos) / 1e6;
            log(round, trigger, requestId, startedMillis, millis, entriesBefore, bytesBefore);
            LOG.log(Level.INFO, "evicted {0} {1} entries ({2} bytes) with {3} in {4} ms ({5}): {6} -> {7} entries",
                    evicted, chooser.kind(), evictedBytes, chooser.policyName(), Math.round(millis), trigger,
                    entriesBefore, round.entriesAfter());
        }
        return round;
    }

    /**
     * Up to {@code count} victims of {@code chooser} that may be evicted now, in the policy's order, with their sizes.
     * Victims the cache no longer has are forgotten by {@code chooser} and {@code others} on the way; protected ones
     * are left out, and young ones added to {@code skipped}.
     */
    List<Candidate> candidates(KindTracker chooser, List<EvictionTracker> others, int count, Set<String> skipped)
            throws SQLException {
        EvictionTracker tracker = chooser.peek();
        int ask = (int) Math.min(tracker.size(), (long) count + skipped.size() + recent.size());
        if (ask == 0) {
            return List.of();
        }
        List<Victim> proposed = new ArrayList<>();
        for (Victim victim : tracker.victims(ask, clock.nowMillis())) {
            if (!skipped.contains(victim.key()) && !recent.contains(victim.key())) {
                proposed.add(victim);
                if (proposed.size() == count) {
                    break;
                }
            }
        }
        Map<String, long[]> present = present(chooser.kind(), proposed);
        List<Candidate> candidates = new ArrayList<>();
        for (Victim victim : proposed) {
            long[] sizeAndYoung = present.get(victim.key());
            if (sizeAndYoung == null) {
                chooser.tracker().onRemove(victim.key());
                others.forEach(other -> other.onRemove(victim.key()));
            } else if (sizeAndYoung[1] != 0) {
                skipped.add(victim.key());
            } else {
                candidates.add(new Candidate(victim, sizeAndYoung[0]));
            }
        }
        return candidates;
    }

    /** The proposed victims the cache still has: size, and 1 if created within protectMillis. */
    private Map<String, long[]> present(String kind, List<Victim> proposed) throws SQLException {
        Map<String, long[]> present = new HashMap<>();
        if (proposed.isEmpty()) {
            return present;
        }
        try (PreparedStatement query = connection.prepareStatement(Queries.PRESENT)) {
            query.setLong(1, settings.protectMillis()); // protectMillis
            query.setString(2, kind); // kind
            query.setArray(3, connection.createArrayOf("text", proposed.stream().map(Victim::key).toArray())); // keys
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    present.put(rows.getString(1), new long[] {rows.getLong(2), rows.getBoolean(3) ? 1 : 0});
                }
            }
        }
        return present;
    }

    /** One batch, in its own transaction; returns what was deleted, with sizes. */
    private Map<String, Long> delete(String kind, List<String> keys) throws SQLException {
        Map<String, Long> gone = new HashMap<>();
        if (keys.isEmpty()) {
            return gone;
        }
        Transactions.run(connection, Connection.TRANSACTION_READ_COMMITTED, () -> {
            try (PreparedStatement mark = connection.prepareStatement(Queries.MARK_EVICTOR)) {
                mark.setString(1, evictorId); // steadytext.evictor
                mark.execute();
            }
            try (PreparedStatement evict = connection.prepareStatement(Queries.EVICT)) {
                evict.setString(1, kind); // kind
                evict.setArray(2, connection.createArrayOf("text", keys.toArray())); // the chosen victims
                evict.setLong(3, settings.protectMillis()); // protectMillis
                evict.setString(4, kind); // kind, for the counters
                try (ResultSet rows = evict.executeQuery()) {
                    while (rows.next()) {
                        gone.put(rows.getString(1), rows.getLong(2));
                    }
                }
            }
        });
        return gone;
    }

    private void log(Round round, String trigger, UUID requestId, long startedMillis, double millis,
            long entriesBefore, long bytesBefore) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(Queries.LOG_ROUND)) {
            insert.setLong(1, startedMillis); // started_at
            insert.setDouble(2, millis); // duration_ms
            insert.setString(3, round.kind()); // kind
            insert.setString(4, round.policy()); // policy
            insert.setString(5, trigger); // trigger
            insert.setLong(6, entriesBefore); // entries_before
            insert.setLong(7, round.entriesAfter()); // entries_after
            insert.setLong(8, bytesBefore); // bytes_before
            insert.setLong(9, round.bytesAfter()); // bytes_after
            insert.setLong(10, round.evicted()); // evicted
            insert.setLong(11, round.evictedBytes()); // evicted_bytes
            if (requestId == null) {
                insert.setNull(12, Types.OTHER); // request_id
            } else {
                insert.setObject(12, requestId); // request_id
            }
            insert.executeUpdate();
        }
    }
}
