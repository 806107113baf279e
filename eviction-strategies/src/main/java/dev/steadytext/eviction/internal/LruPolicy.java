package dev.steadytext.eviction.internal;

import dev.steadytext.api.eviction.EvictionPolicy;
import dev.steadytext.api.eviction.EvictionTracker;
import org.osgi.service.component.annotations.Component;

/**
 * Least recently used: evicts the entry whose last access is oldest.
 *
 * <p>The classic baseline: cheap and good when recent entries are the ones asked for again, but one scan of
 * entries that are never asked for again flushes everything.
 */
@Component(service = EvictionPolicy.class, property = EvictionPolicy.NAME_PROPERTY + "=" + LruPolicy.NAME)
public final class LruPolicy implements EvictionPolicy {

    static final String NAME = "lru";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Least recently used: keeps what was used last, evicts what has gone unused longest.";
    }

    @Override
    public EvictionTracker newTracker() {
        return new LruTracker();
    }

    @Override
    public EvictionTracker restore(byte[] snapshot) {
        return LruTracker.restore(snapshot);
    }
}
