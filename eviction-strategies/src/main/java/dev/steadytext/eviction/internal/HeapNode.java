package dev.steadytext.eviction.internal;

/** An entry in an {@link EntryHeap}, ranked by its priority, the lowest evicted first. */
final class HeapNode {

    final String key;
    long sizeBytes;
    long computeMillis;
    long lastAccessMillis;
    /** The tracker's access sequence number at the last access: breaks ties in favour of evicting the older. */
    long accessSequence;
    /** How often the entry was used, in the policy's sense (an access count, possibly aged). */
    double count;
    /** The policy's ranking value, derived from the fields above; the lowest is evicted first. */
    double priority;
    /** The node's position in the heap's array, kept up to date by the heap. */
    int index = -1;

    HeapNode(String key) {
        this.key = key;
    }
}
