package dev.steadytext.eviction.internal;

import dev.steadytext.api.eviction.EvictionPolicy;
import dev.steadytext.api.eviction.EvictionTracker;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Frecency, as SteadyText (Python) and pg_steadytext rank cache entries: evicts the lowest
 * {@code score = access_count × exp(-age / τ)}, where age is the time since the entry's last access and τ is one day
 * by default.
 *
 * <p>The family blends frequency and recency [1]: with a small τ it behaves like LRU, with a large one like LFU
 * without aging. At τ = one day, an entry used e ≈ 2.7 times and last used a day ago ranks with one used once just
 * now; an entry used 100 times survives about 4.6 idle days against a newcomer. The count never decays, only the
 * recency term does; that is SteadyText's definition and the one users of pg_steadytext know.
 *
 * <p>[1] D. Lee, J. Choi, J.-H. Kim, S. H. Noh, S. L. Min, Y. Cho, C. S. Kim. LRFU: A Spectrum of Policies that
 * Subsumes the Least Recently Used and Least Frequently Used Policies. IEEE Transactions on Computers 50(12), 2001.
 */
@Component(service = EvictionPolicy.class, property = EvictionPolicy.NAME_PROPERTY + "=" + FrecencyPolicy.NAME,
        configurationPid = "dev.steadytext.eviction.frecency", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = FrecencyPolicy.Config.class)
public final class FrecencyPolicy implements EvictionPolicy {

    static final String NAME = "frecency";
    static final double DEFAULT_TIME_CONSTANT_HOURS = 24;

    /** Frecency's time constant. */
    @ObjectClassDefinition(name = "SteadyText frecency eviction")
    @interface Config {
        @AttributeDefinition(description = "τ in hours: an idle entry's score falls by a factor e per τ.")
        double timeConstantHours() default DEFAULT_TIME_CONSTANT_HOURS;
    }

    private volatile double timeConstantMillis = DEFAULT_TIME_CONSTANT_HOURS * 3_600_000;

    @Activate
    void activate(Config config) {
        if (!(config.timeConstantHours() > 0) || Double.isInfinite(config.timeConstantHours())) {
            throw new IllegalArgumentException("timeConstantHours must be a positive number: " + config.timeConstantHours());
        }
        timeConstantMillis = config.timeConstantHours() * 3_600_000;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Frecency: access count times exp(-idle time / τ), τ one day by default; evicts the rarely and not"
                + " recently used.";
    }

    @Override
    public EvictionTracker newTracker() {
        return new FrecencyTracker(timeConstantMillis);
    }

    @Override
    public EvictionTracker restore(byte[] snapshot) {
        return HeapTracker.restore(new FrecencyTracker(timeConstantMillis), snapshot);
    }
}
