package dev.steadytext.eviction.sieve;

import dev.steadytext.api.eviction.CacheEntry;
import dev.steadytext.api.eviction.EvictionTracker;
import dev.steadytext.api.eviction.Victim;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * SIEVE's state: the queue from the oldest entry (tail) to the newest (head), the visited bits and the hand.
 *
 * <p>The platform asks for victims without evicting, so {@link #victims} predicts the sweep without clearing any bit:
 * from the hand to the head, the entries not visited; then, wrapping to the tail, those not visited before the hand;
 * then the ones the first pass would have cleared, then those the second pass would have cleared. {@link #onEvict}
 * performs the sweep for real up to the evicted entry, so evicting the proposed victims in order is exactly SIEVE.
 */
final class SieveTracker implements EvictionTracker {

    private static final int MAGIC = 0x53545376; // "STSv"
    private static final int FORMAT_VERSION = 1;

    /** One entry in the queue: its links live in the entry, so nothing is allocated per access. */
    private static final class Node {
        final String key;
        long sizeBytes;
        long computeMillis;
        boolean visited;
        Node older;
        Node newer;

        Node(String key) {
            this.key = key;
        }
    }

    private final Map<String, Node> nodes = new HashMap<>();
    private Node tail;
    private Node head;
    /** The next entry the hand examines; {@code null} means the tail. */
    private Node hand;
    private long weightBytes;

    @Override
    public void onInsert(CacheEntry entry, long nowMillis) {
        Objects.requireNonNull(entry, "entry");
        Node node = nodes.get(entry.key());
        if (node == null) {
            node = new Node(entry.key());
            nodes.put(node.key, node);
            append(node);
        } else {
            weightBytes -= node.sizeBytes;
            node.visited = true;
        }
        node.sizeBytes = entry.sizeBytes();
        node.computeMillis = entry.computeMillis();
        weightBytes += node.sizeBytes;
    }

    private void append(Node node) {
        node.older = head;
        if (head != null) {
            head.newer = node;
        } else {
            tail = node;
        }
        head = node;
    }

    @Override
    public void onHit(String key, long nowMillis) {
        Node node = nodes.get(Objects.requireNonNull(key, "key"));
        if (node != null) {
            node.visited = true;
        }
    }

    @Override
    public void onMiss(String key, long nowMillis) {
        Objects.requireNonNull(key, "key"); // SIEVE keeps no history of evicted keys
    }

    @Override
    public List<Victim> victims(int count, long nowMillis) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        List<Victim> victims = new ArrayList<>(Math.min(count, nodes.size()));
        Node start = hand == null ? tail : hand;
        // The sweep's four passes: (from the hand, not visited), (before the hand, not visited), then the same two
        // ranges again for the entries the sweep would have cleared on its way.
        for (int pass = 0; pass < 4 && victims.size() < count; pass++) {
            boolean fromHand = pass % 2 == 0;
            boolean wantVisited = pass >= 2;
            Node end = fromHand ? null : start;
            for (Node n = fromHand ? start : tail; n != end && victims.size() < count; n = n.newer) {
                if (n.visited == wantVisited) {
                    victims.add(new Victim(n.key, victims.size(), "SIEVE: not visited since the hand passed"));
                }
            }
        }
        return victims;
    }

    /** Sweeps the hand to the evicted entry, clearing the visited bits it passes, then drops the entry. */
    @Override
    public void onEvict(String key) {
        Node node = nodes.get(Objects.requireNonNull(key, "key"));
        if (node == null) {
            return;
        }
        // The sweep: a visited entry is cleared and passed (the evicted one too, coming back to it after a lap).
        Node n = hand == null ? tail : hand;
        while (n != node || n.visited) {
            n.visited = false;
            n = n.newer == null ? tail : n.newer;
        }
        hand = node; // unlinking moves the hand on to the next newer entry
        unlink(node);
    }

    @Override
    public void onRemove(String key) {
        Node node = nodes.get(Objects.requireNonNull(key, "key"));
        if (node != null) {
            unlink(node);
        }
    }

    private void unlink(Node node) {
        if (hand == node) {
            hand = node.newer;
        }
        if (node.older != null) {
            node.older.newer = node.newer;
        } else {
            tail = node.newer;
        }
        if (node.newer != null) {
            node.newer.older = node.older;
        } else {
            head = node.older;
        }
        nodes.remove(node.key);
        weightBytes -= node.sizeBytes;
    }

    @Override
    public int size() {
        return nodes.size();
    }

    @Override
    public long weightBytes() {
        return weightBytes;
    }

    @Override
    public String describe(String key, long nowMillis) {
        Node node = nodes.get(Objects.requireNonNull(key, "key"));
        return node == null ? null : node.visited ? "visited" : "not visited";
    }

    /** Magic, version, the entries from tail to head, then the hand's position in that order (-1: the tail). */
    @Override
    public byte[] snapshot() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeByte(FORMAT_VERSION);
            out.writeInt(nodes.size());
            int handIndex = -1;
            int i = 0;
            for (Node n = tail; n != null; n = n.newer, i++) {
                out.writeUTF(n.key);
                out.writeLong(n.sizeBytes);
                out.writeLong(n.computeMillis);
                out.writeBoolean(n.visited);
                if (n == hand) {
                    handIndex = i;
                }
            }
            out.writeInt(handIndex);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream never fails
        }
        return bytes.toByteArray();
    }

    static SieveTracker restore(byte[] snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        ByteArrayInputStream bytes = new ByteArrayInputStream(snapshot);
        try (DataInputStream in = new DataInputStream(bytes)) {
            if (in.readInt() != MAGIC || in.readUnsignedByte() != FORMAT_VERSION) {
                throw new IllegalArgumentException("not a SIEVE snapshot of format version " + FORMAT_VERSION);
            }
            int count = in.readInt();
            if (count < 0 || count > bytes.available()) {
                throw new IllegalArgumentException("SIEVE snapshot is corrupt: " + count + " entries");
            }
            SieveTracker tracker = new SieveTracker();
            List<Node> order = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Node node = new Node(in.readUTF());
                node.sizeBytes = in.readLong();
                node.computeMillis = in.readLong();
                node.visited = in.readBoolean();
                if (node.sizeBytes < 0 || node.computeMillis < 0 || tracker.nodes.putIfAbsent(node.key, node) != null) {
                    throw new IllegalArgumentException("SIEVE snapshot is corrupt at entry " + i);
                }
                tracker.append(node);
                tracker.weightBytes += node.sizeBytes;
                order.add(node);
            }
            int handIndex = in.readInt();
            if (handIndex < -1 || handIndex >= count || bytes.available() > 0) {
                throw new IllegalArgumentException("SIEVE snapshot is corrupt: hand " + handIndex);
            }
            tracker.hand = handIndex < 0 ? null : order.get(handIndex);
            return tracker;
        } catch (IOException e) {
            throw new IllegalArgumentException("SIEVE snapshot is truncated", e);
        }
    }
}
