package dev.steadytext.simulator.policy;

/**
 * A cache replacement policy under simulation: it is shown every access of a trace in order, then told the trace has
 * ended, and reports what it hit.
 */
public interface Policy {

    /** One lookup: a hit if the key is cached, otherwise a miss, after which the entry is cached if the policy keeps it. */
    void record(AccessEvent event);

    /** The trace has ended: offline policies compute here, adapters cross-check their counters. */
    default void finished() {
    }

    PolicyStats stats();
}
