package dev.steadytext.worker.internal;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The jobs this worker holds right now: their leases are extended, and on shutdown they are handed back. */
final class InFlight {

    private final Set<UUID> requestIds = ConcurrentHashMap.newKeySet();

    void add(UUID requestId) {
        requestIds.add(requestId);
    }

    void remove(UUID requestId) {
        requestIds.remove(requestId);
    }

    List<UUID> snapshot() {
        return List.copyOf(requestIds);
    }
}
