package dev.steadytext.cache.postgres.internal;

import dev.steadytext.api.eviction.CacheEntry;
import dev.steadytext.api.eviction.EvictionPolicy;
import dev.steadytext.api.eviction.EvictionTracker;
import dev.steadytext.api.eviction.Victim;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test-only policy, standing in for a plug-in: first in, first out, hits ignored. Its describe() says
 * {@code "fifo #n"}, n counting inserts since the tracker was made, so a test can tell a restored tracker from one
 * rebuilt from the cache.
 */
final class FifoTestPolicy implements EvictionPolicy {

    static final String NAME = "fifo-test";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "First in, first out (tests only).";
    }

    @Override
    public EvictionTracker newTracker() {
        return new Tracker();
    }

    /** The snapshot is the keys in order with their sizes and numbers, one "key size n" line each. */
    @Override
    public EvictionTracker restore(byte[] snapshot) {
        Tracker tracker = new Tracker();
        String text = new String(snapshot, StandardCharsets.UTF_8);
        for (String line : text.isEmpty() ? new String[0] : text.split("\n")) {
            String[] parts = line.split(" ");
            if (parts.length != 3) {
                throw new IllegalArgumentException("not a fifo-test snapshot line: " + line);
            }
            long n = Long.parseLong(parts[2]);
            tracker.entries.put(parts[0], new long[] {Long.parseLong(parts[1]), n});
            tracker.weight += Long.parseLong(parts[1]);
            tracker.inserts = Math.max(tracker.inserts, n);
        }
        return tracker;
    }

    private static final class Tracker implements EvictionTracker {
        /** key to {size, insert number}, oldest first. */
        private final LinkedHashMap<String, long[]> entries = new LinkedHashMap<>();
        private long weight;
        private long inserts;

        @Override
        public void onInsert(CacheEntry entry, long nowMillis) {
            onRemove(entry.key());
            entries.put(entry.key(), new long[] {entry.sizeBytes(), ++inserts});
            weight += entry.sizeBytes();
        }

        @Override
        public void onHit(String key, long nowMillis) {
        }

        @Override
        public void onMiss(String key, long nowMillis) {
        }

        @Override
        public void onEvict(String key) {
            onRemove(key);
        }

        @Override
        public void onRemove(String key) {
            long[] removed = entries.remove(key);
            if (removed != null) {
                weight -= removed[0];
            }
        }

        @Override
        public List<Victim> victims(int count, long nowMillis) {
            List<Victim> victims = new ArrayList<>();
            for (Map.Entry<String, long[]> entry : entries.entrySet()) {
                if (victims.size() == count) {
                    break;
                }
                victims.add(new Victim(entry.getKey(), entry.getValue()[1], "first in"));
            }
            return victims;
        }

        @Override
        public int size() {
            return entries.size();
        }

        @Override
        public long weightBytes() {
            return weight;
        }

        @Override
        public String describe(String key, long nowMillis) {
            long[] entry = entries.get(key);
            return entry == null ? null : "fifo #" + entry[1];
        }

        @Override
        public byte[] snapshot() {
            StringBuilder out = new StringBuilder();
            entries.forEach((key, entry) -> out.append(key).append(' ').append(entry[0]).append(' ').append(entry[1])
                    .append('\n'));
            return out.toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}
