package dev.steadytext.eviction.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * An indexed binary min-heap of entries by priority (ties: the older access first): O(log n) insert, removal and
 * re-ranking of any member, no allocation per access.
 */
final class EntryHeap {

    static final Comparator<HeapNode> EVICTION_ORDER = (a, b) -> before(a, b) ? -1 : before(b, a) ? 1 : 0;

    private HeapNode[] nodes = new HeapNode[64];
    private int size;

    static boolean before(HeapNode a, HeapNode b) {
        return a.priority < b.priority || a.priority == b.priority && a.accessSequence < b.accessSequence;
    }

    int size() {
        return size;
    }

    /** The member at a position of the array, for iterating in the order snapshots preserve. */
    HeapNode at(int index) {
        return nodes[index];
    }

    void add(HeapNode node) {
        append(node);
        siftUp(node.index);
    }

    /** Appends without restoring the heap order: for restoring a snapshot, followed by {@link #heapify()}. */
    void append(HeapNode node) {
        if (size == nodes.length) {
            nodes = Arrays.copyOf(nodes, size * 2);
        }
        nodes[size] = node;
        node.index = size++;
    }

    /**
     * Restores the heap order bottom-up (Floyd). An array already in heap order (a snapshot's) is left exactly as it
     * is, since nodes only move past strictly smaller children; that keeps restored trackers identical.
     */
    void heapify() {
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    void remove(HeapNode node) {
        int i = node.index;
        HeapNode last = nodes[--size];
        nodes[size] = null;
        node.index = -1;
        if (last != node) {
            nodes[i] = last;
            last.index = i;
            siftDown(i);
            siftUp(last.index);
        }
    }

    /** Re-ranks a member after its priority or access sequence changed. */
    void update(HeapNode node) {
        siftUp(node.index);
        siftDown(node.index);
    }

    /**
     * Up to {@code count} members in eviction order, the heap unchanged: a best-first walk from the root that only
     * looks at the children of nodes already taken, O(count log count).
     */
    List<HeapNode> smallest(int count) {
        List<HeapNode> result = new ArrayList<>(Math.min(count, size));
        if (count == 0 || size == 0) {
            return result;
        }
        PriorityQueue<HeapNode> frontier = new PriorityQueue<>(EVICTION_ORDER);
        frontier.add(nodes[0]);
        while (result.size() < count && !frontier.isEmpty()) {
            HeapNode node = frontier.poll();
            result.add(node);
            for (int child = 2 * node.index + 1; child <= 2 * node.index + 2 && child < size; child++) {
                frontier.add(nodes[child]);
            }
        }
        return result;
    }

    private void siftUp(int start) {
        HeapNode node = nodes[start];
        int i = start;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(node, nodes[parent])) {
                break;
            }
            place(nodes[parent], i);
            i = parent;
        }
        place(node, i);
    }

    private void siftDown(int start) {
        HeapNode node = nodes[start];
        int i = start;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(nodes[child + 1], nodes[child])) {
                child++;
            }
            if (!before(nodes[child], node)) {
                break;
            }
            place(nodes[child], i);
            i = child;
        }
        place(node, i);
    }

    private void place(HeapNode node, int index) {
        nodes[index] = node;
        node.index = index;
    }
}
