package dev.steadytext.eviction.internal;

/**
 * A doubly linked list of entries from least to most recently used, with its length and byte total: every operation
 * is O(1) and allocates nothing.
 */
final class RecencyList {

    /** The sentinel: {@code head.next} is the least recent node, {@code head.prev} the most recent. */
    private final ListNode head = new ListNode("");
    private int size;
    private long weightBytes;

    RecencyList() {
        head.prev = head;
        head.next = head;
    }

    void addMostRecent(ListNode node) {
        node.prev = head.prev;
        node.next = head;
        head.prev.next = node;
        head.prev = node;
        size++;
        weightBytes += node.sizeBytes;
    }

    void remove(ListNode node) {
        node.prev.next = node.next;
        node.next.prev = node.prev;
        node.prev = null;
        node.next = null;
        size--;
        weightBytes -= node.sizeBytes;
    }

    void moveToMostRecent(ListNode node) {
        remove(node);
        addMostRecent(node);
    }

    /** The least recently used node, or {@code null} if the list is empty. */
    ListNode leastRecent() {
        return head.next == head ? null : head.next;
    }

    /** The node used next after this one, or {@code null} after the most recent. */
    ListNode moreRecent(ListNode node) {
        return node.next == head ? null : node.next;
    }

    int size() {
        return size;
    }

    long weightBytes() {
        return weightBytes;
    }

    /** Changes a member's size and keeps the byte total right. */
    void resize(ListNode node, long sizeBytes) {
        weightBytes += sizeBytes - node.sizeBytes;
        node.sizeBytes = sizeBytes;
    }
}
