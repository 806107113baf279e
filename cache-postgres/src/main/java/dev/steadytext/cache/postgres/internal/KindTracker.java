package dev.steadytext.cache.postgres.internal;

import dev.steadytext.api.eviction.EvictionTracker;

/**
 * One cache kind's tracker, the policy that made it, and whether it changed since it was last saved. Used by the
 * leader's thread only.
 */
final class KindTracker {

    private final String kind;
    private final PolicyRegistry.Named policy;
    private EvictionTracker tracker;
    private boolean dirty;

    KindTracker(String kind, PolicyRegistry.Named policy, EvictionTracker tracker) {
        this.kind = kind;
        this.policy = policy;
        this.tracker = tracker;
        this.dirty = true;
    }

    String kind() {
        return kind;
    }

    PolicyRegistry.Named policy() {
        return policy;
    }

    String policyName() {
        return policy.name();
    }

    /** The tracker, for feeding; anything fed makes the tracker worth saving again. */
    EvictionTracker tracker() {
        dirty = true;
        return tracker;
    }

    /** The tracker, for reading only. */
    EvictionTracker peek() {
        return tracker;
    }

    /** Forgets every entry, as after a TRUNCATE of the cache. */
    void clear() {
        tracker = policy.policy().newTracker();
        dirty = true;
    }

    boolean dirty() {
        return dirty;
    }

    void saved() {
        dirty = false;
    }
}
