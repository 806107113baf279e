package dev.steadytext.simulator;

import dev.steadytext.api.eviction.EvictionPolicy;
import dev.steadytext.eviction.internal.ArcPolicy;
import dev.steadytext.eviction.internal.FrecencyPolicy;
import dev.steadytext.eviction.internal.GdsfPolicy;
import dev.steadytext.eviction.internal.LfuPolicy;
import dev.steadytext.eviction.internal.LruPolicy;
import dev.steadytext.eviction.sieve.SievePolicy;
import dev.steadytext.simulator.policy.Budget;
import dev.steadytext.simulator.policy.Policy;
import dev.steadytext.simulator.policy.opt.Clairvoyant;
import dev.steadytext.simulator.policy.opt.Unbounded;
import dev.steadytext.simulator.policy.product.CaffeinePolicy;
import dev.steadytext.simulator.policy.steadytext.TrackerPolicy;
import java.util.List;
import java.util.function.Supplier;

/**
 * The policies the simulator knows, by name, listed explicitly: our built-in policies and the SIEVE plug-in (their
 * real classes, driven through the EvictionPolicy SPI), the bounds (Belady's optimum, an unbounded cache) and
 * Caffeine as the industrial reference.
 */
public final class Registry {

    /** One policy the simulator can run: its report name and how to make a fresh instance for one run. */
    public record PolicySpec(String name, Kind kind, Factory factory) {

        public Policy create(Budget budget, long accessIntervalMillis) {
            return factory.create(name, budget, accessIntervalMillis);
        }
    }

    /** What a policy is in the reports. */
    public enum Kind { OURS, PLUGIN, BOUND, REFERENCE }

    /** Makes a policy for one run. */
    @FunctionalInterface
    public interface Factory {
        Policy create(String name, Budget budget, long accessIntervalMillis);
    }

    public static final String BELADY = "opt.Clairvoyant";
    public static final String UNBOUNDED = "opt.Unbounded";
    public static final String CAFFEINE = "product.Caffeine";

    private static final List<PolicySpec> POLICIES = List.of(
            tracker("steadytext.lru", Kind.OURS, LruPolicy::new),
            tracker("steadytext.lfu", Kind.OURS, LfuPolicy::new),
            tracker("steadytext.frecency", Kind.OURS, FrecencyPolicy::new),
            tracker("steadytext.arc", Kind.OURS, ArcPolicy::new),
            tracker("steadytext.gdsf", Kind.OURS, GdsfPolicy::new),
            tracker("plugin.sieve", Kind.PLUGIN, SievePolicy::new),
            new PolicySpec(CAFFEINE, Kind.REFERENCE, (name, budget, interval) -> new CaffeinePolicy(budget)),
            new PolicySpec(BELADY, Kind.BOUND, (name, budget, interval) -> new Clairvoyant(budget)),
            new PolicySpec(UNBOUNDED, Kind.BOUND, (name, budget, interval) -> new Unbounded()));

    private Registry() {
    }

    private static PolicySpec tracker(String name, Kind kind, Supplier<EvictionPolicy> policy) {
        return new PolicySpec(name, kind,
                (n, budget, interval) -> new TrackerPolicy(n, policy.get(), budget, interval));
    }

    public static List<PolicySpec> policies() {
        return POLICIES;
    }

    public static PolicySpec policy(String name) {
        return POLICIES.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown policy '" + name + "'; known: "
                        + POLICIES.stream().map(PolicySpec::name).toList()));
    }
}
