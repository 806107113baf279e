package dev.steadytext.cache.postgres.internal;

import dev.steadytext.api.eviction.EvictionPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The eviction policies registered right now, by name, as DS binds and unbinds them (on its own threads), and which
 * one to run.
 *
 * <p>The leader reads {@link #version()} at every fold and takes a fresh {@link #available()} when it changed, so a
 * plug-in that appears becomes selectable at the next fold, and one that disappears is replaced there.
 */
final class PolicyRegistry {

    /** A registered policy under the name configuration selects it by. */
    record Named(String name, EvictionPolicy policy) {
    }

    /**
     * The policy to run.
     *
     * @param requested the name asked for (SQL config, else the configuration file, else the default)
     * @param chosen what runs, or null when no policy is registered at all
     */
    record Choice(String requested, Named chosen) {

        boolean fellBack() {
            return chosen == null || !chosen.name().equals(requested);
        }
    }

    /** In registration order: when two services share a name, the earlier one is used until it goes. */
    private final List<Named> registered = new ArrayList<>();
    private long version;

    synchronized void add(EvictionPolicy policy, Map<String, ?> properties) {
        Object name = properties.get(EvictionPolicy.NAME_PROPERTY);
        registered.add(new Named(name != null ? name.toString() : policy.name(), policy));
        version++;
    }

    synchronized void remove(EvictionPolicy policy) {
        if (registered.removeIf(named -> named.policy() == policy)) {
            version++;
        }
    }

    synchronized long version() {
        return version;
    }

    /** The policies by name, in name order. */
    synchronized Map<String, Named> available() {
        Map<String, Named> byName = new TreeMap<>();
        registered.forEach(named -> byName.putIfAbsent(named.name(), named));
        return byName;
    }

    /**
     * The policy to run: SQL's choice if it made one, else the configuration file's, else {@value
     * ServiceSettings#DEFAULT_POLICY}; when that is not registered, the default, else the first policy by name.
     */
    static Choice choose(Map<String, Named> available, String sqlChoice, String fileChoice) {
        String requested = sqlChoice != null ? sqlChoice
                : !fileChoice.isEmpty() ? fileChoice : ServiceSettings.DEFAULT_POLICY;
        Named chosen = available.get(requested);
        if (chosen == null) {
            chosen = available.get(ServiceSettings.DEFAULT_POLICY);
        }
        if (chosen == null && !available.isEmpty()) {
            chosen = available.values().iterator().next();
        }
        return new Choice(Objects.requireNonNull(requested), chosen);
    }
}
