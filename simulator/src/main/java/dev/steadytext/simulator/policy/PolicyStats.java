package dev.steadytext.simulator.policy;

/**
 * What a policy hit and missed over a trace, counted in requests, in bytes and in compute time.
 *
 * <p>The three rates answer three questions: how many lookups were served from the cache (hit rate), how much of the
 * data asked for was (byte hit rate), and how much compute time the cache saved of all it could have saved
 * (penalty-weighted hit rate: a hit on a 30-second generation counts 6,000 times a hit on a 5 ms embedding).
 */
public final class PolicyStats {

    private final String name;
    private long hits;
    private long misses;
    private long hitBytes;
    private long missBytes;
    private long hitPenaltyMillis;
    private long missPenaltyMillis;
    private long evictions;

    public PolicyStats(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public void recordHit(AccessEvent event) {
        hits++;
        hitBytes += event.weightBytes();
        hitPenaltyMillis += event.penaltyMillis();
    }

    public void recordMiss(AccessEvent event) {
        misses++;
        missBytes += event.weightBytes();
        missPenaltyMillis += event.penaltyMillis();
    }

    public void recordEviction() {
        evictions++;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    public long evictions() {
        return evictions;
    }

    public long requests() {
        return hits + misses;
    }

    public double hitRate() {
        return ratio(hits, hits + misses);
    }

    public double byteHitRate() {
        return ratio(hitBytes, hitBytes + missBytes);
    }

    public double penaltyHitRate() {
        return ratio(hitPenaltyMillis, hitPenaltyMillis + missPenaltyMillis);
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }
}
