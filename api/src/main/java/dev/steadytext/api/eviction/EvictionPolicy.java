package dev.steadytext.api.eviction;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An eviction policy, registered as a service and selected by its {@link #name()}.
 *
 * <p>The policy itself holds no state: it makes trackers, one per cache kind, and restores them from their
 * snapshots. A plug-in bundle adds a policy by registering one of these with the service property
 * {@value #NAME_PROPERTY} set to its name; it becomes selectable as soon as the service appears.
 */
@ConsumerType
public interface EvictionPolicy {

    /** The service property that carries {@link #name()}, so that configuration can target one policy. */
    String NAME_PROPERTY = "steadytext.eviction.policy";

    /** The name users select the policy by: lower case, letters, digits, '-' and '_' ({@code lru}, {@code arc}). */
    String name();

    /** One line for users: what the policy keeps and what it throws away. */
    String description();

    /** A tracker that knows no entry yet. */
    EvictionTracker newTracker();

    /**
     * A tracker in the state {@link EvictionTracker#snapshot()} saved, possibly by an earlier version of this policy.
     *
     * @throws IllegalArgumentException if the snapshot is not one this policy can read; the platform then starts
     *     from {@link #newTracker()} and replays the entries it knows of
     */
    EvictionTracker restore(byte[] snapshot);
}
