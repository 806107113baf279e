package dev.steadytext.eviction.internal;

import java.util.Map;

/** The snapshot form of a {@link ListNode}, shared by the list-based trackers. */
final class ListNodes {

    private ListNodes() {
    }

    static void write(SnapshotWriter out, ListNode node) {
        out.key(node.key).count(node.sizeBytes).count(node.computeMillis).time(node.lastAccessMillis);
    }

    /** Reads one node and files it under its key; a key that appears twice means a corrupt snapshot. */
    static ListNode read(SnapshotReader in, Map<String, ListNode> nodes) {
        ListNode node = new ListNode(in.key());
        node.sizeBytes = in.count();
        node.computeMillis = in.count();
        node.lastAccessMillis = in.time();
        if (nodes.putIfAbsent(node.key, node) != null) {
            throw new IllegalArgumentException("snapshot is corrupt: key " + node.key + " appears twice");
        }
        return node;
    }
}
