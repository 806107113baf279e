package dev.steadytext.benchmarks.noop;

import dev.steadytext.api.generate.Generator;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Registers {@link NoopGenerator} as the default generation model. Runs inside the platform's framework: the
 * benchmark drops a bundle holding this package into the platform's {@code plugins/} directory, the same way a user
 * adds a backend, so the platform needs no hook for it.
 */
public final class NoopActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("steadytext.model.default", Boolean.TRUE);
        properties.put("steadytext.model.name", NoopGenerator.NAME);
        context.registerService(Generator.class, new NoopGenerator(), properties);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }
}
