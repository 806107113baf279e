package dev.steadytext.cache.postgres.internal;

/**
 * How much one cache kind may hold.
 *
 * @param maxEntries most entries, {@link #UNBOUNDED} for no limit
 * @param maxBytes most bytes (inputs plus results), {@link #UNBOUNDED} for no limit
 */
record Budget(long maxEntries, long maxBytes) {

    static final long UNBOUNDED = Long.MAX_VALUE;
    static final Budget NONE = new Budget(UNBOUNDED, UNBOUNDED);

    /** This budget with each target that is not null in place of the limit. */
    Budget overriddenBy(Long targetEntries, Long targetBytes) {
        return new Budget(targetEntries != null ? targetEntries : maxEntries,
                targetBytes != null ? targetBytes : maxBytes);
    }

    /** How many entries must go for {@code entries} to fit, at least 0. */
    long excessEntries(long entries) {
        return Math.max(0, entries - maxEntries);
    }

    /** How many bytes must go for {@code bytes} to fit, at least 0. */
    long excessBytes(long bytes) {
        return Math.max(0, bytes - maxBytes);
    }
}
