package dev.steadytext.eviction.internal;

import dev.steadytext.api.eviction.CacheEntry;
import dev.steadytext.api.eviction.EvictionTracker;
import dev.steadytext.api.eviction.Victim;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Least recently used: one recency list; the victim is its least recent end. */
final class LruTracker implements EvictionTracker {

    static final int FORMAT_VERSION = 1;
    private static final String REASON = "least recently used";

    private final Map<String, ListNode> entries = new HashMap<>();
    private final RecencyList list = new RecencyList();

    @Override
    public void onInsert(CacheEntry entry, long nowMillis) {
        Arguments.entry(entry);
        ListNode node = entries.get(entry.key());
        if (node == null) {
            node = new ListNode(entry.key());
            node.sizeBytes = entry.sizeBytes();
            entries.put(entry.key(), node);
            list.addMostRecent(node);
        } else {
            list.resize(node, entry.sizeBytes());
            list.moveToMostRecent(node);
        }
        node.computeMillis = entry.computeMillis();
        node.lastAccessMillis = nowMillis;
    }

    @Override
    public void onHit(String key, long nowMillis) {
        ListNode node = entries.get(Arguments.key(key));
        if (node != null) {
            node.lastAccessMillis = nowMillis;
            list.moveToMostRecent(node);
        }
    }

    @Override
    public void onMiss(String key, long nowMillis) {
        Arguments.key(key); // LRU keeps no history of evicted keys
    }

    @Override
    public void onEvict(String key) {
        onRemove(key);
    }

    @Override
    public void onRemove(String key) {
        ListNode node = entries.remove(Arguments.key(key));
        if (node != null) {
            list.remove(node);
        }
    }

    @Override
    public List<Victim> victims(int count, long nowMillis) {
        List<Victim> victims = new ArrayList<>(Math.min(Arguments.victimCount(count), entries.size()));
        for (ListNode n = list.leastRecent(); n != null && victims.size() < count; n = list.moreRecent(n)) {
            victims.add(new Victim(n.key, n.lastAccessMillis, REASON));
        }
        return victims;
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public long weightBytes() {
        return list.weightBytes();
    }

    @Override
    public String describe(String key, long nowMillis) {
        ListNode node = entries.get(Arguments.key(key));
        return node == null ? null : "idle " + Math.max(0, nowMillis - node.lastAccessMillis) / 1000 + " s";
    }

    @Override
    public byte[] snapshot() {
        SnapshotWriter out = new SnapshotWriter(LruPolicy.NAME, FORMAT_VERSION).count(entries.size());
        for (ListNode n = list.leastRecent(); n != null; n = list.moreRecent(n)) {
            ListNodes.write(out, n);
        }
        return out.toByteArray();
    }

    static LruTracker restore(byte[] snapshot) {
        SnapshotReader in = new SnapshotReader(snapshot, LruPolicy.NAME, FORMAT_VERSION);
        LruTracker tracker = new LruTracker();
        for (int i = in.itemCount(); i > 0; i--) {
            ListNode node = ListNodes.read(in, tracker.entries);
            tracker.list.addMostRecent(node);
        }
        in.end();
        return tracker;
    }
}
