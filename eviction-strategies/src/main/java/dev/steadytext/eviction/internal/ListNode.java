package dev.steadytext.eviction.internal;

/** An entry in a {@link RecencyList}: its links live in the entry, so moving it allocates nothing. */
final class ListNode {

    final String key;
    long sizeBytes;
    long computeMillis;
    long lastAccessMillis;
    /** Which of a tracker's lists holds the node (ARC's T1, T2, B1, B2); unused by single-list trackers. */
    byte list;
    /** For a ghost (ARC's B1, B2): a miss on it has already adapted the policy, so its insert must not again. */
    boolean ghostHitCounted;
    ListNode prev;
    ListNode next;

    ListNode(String key) {
        this.key = key;
    }
}
