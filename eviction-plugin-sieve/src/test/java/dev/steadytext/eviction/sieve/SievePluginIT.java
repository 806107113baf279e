package dev.steadytext.eviction.sieve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.testkit.FelixRuntime;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The plug-in in a real Felix with SCR, next to the built-in policies: installing the bundle adds a policy named
 * "sieve", uninstalling it takes that policy away and leaves the others.
 *
 * <p>The API runs as a bundle here (FelixRuntime's system bundle does not export the eviction package), so the test
 * shares no eviction class with the framework: it finds services by class name and calls them through the API bundle's
 * own classes, as a consumer inside the platform would see them.
 */
class SievePluginIT {

    private static final String POLICY = "dev.steadytext.api.eviction.EvictionPolicy";
    private static final String NAME_PROPERTY = "steadytext.eviction.policy";

    @Test
    void plugin_installed_addsThePolicyByName_andUninstalled_removesIt(@TempDir Path storage) throws Exception {
        try (FelixRuntime felix = FelixRuntime.start(storage)) {
            BundleContext context = felix.context();
            Bundle strategies = context.installBundle(bundleUri("steadytext.it.strategies"));
            strategies.start();
            awaitPolicies(context, List.of("arc", "frecency", "gdsf", "lfu", "lru"));
            for (String name : List.of("lfu", "frecency")) {
                // the configurable ones: SCR activates them with their typed Config (defaults, no configuration)
                ServiceReference<?> reference = policyReference(context, name);
                assertThat(call(context.getService(reference), "name")).isEqualTo(name);
                context.ungetService(reference);
            }

            long start = System.nanoTime();
            Bundle plugin = context.installBundle(bundleUri("steadytext.it.plugin"));
            plugin.start();
            awaitPolicies(context, List.of("arc", "frecency", "gdsf", "lfu", "lru", "sieve"));
            System.out.printf("sieve plug-in: policy registered %d ms after install%n",
                    (System.nanoTime() - start) / 1_000_000);

            ServiceReference<?> sieve = policyReference(context, "sieve");
            assertThat(sieve.getBundle()).isEqualTo(plugin);
            Object policy = context.getService(sieve);
            assertThat(call(policy, "name")).isEqualTo("sieve");
            assertThat((String) call(policy, "description")).contains("SIEVE");
            assertThat(victimsAfterASmallSequence(policy)).isEqualTo("[b]");
            context.ungetService(sieve);

            plugin.uninstall();
            awaitPolicies(context, List.of("arc", "frecency", "gdsf", "lfu", "lru"));
            assertThat(policyReference(context, "sieve")).isNull();

            strategies.stop();
            awaitPolicies(context, List.of());
        }
    }

    private static String bundleUri(String property) {
        String path = System.getProperty(property);
        assertThat(path).as("system property %s (set by failsafe)", property).isNotBlank();
        return Path.of(path).toUri().toString();
    }

    private static void awaitPolicies(BundleContext context, List<String> expected) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<String> names = policyNames(context);
        while (!names.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            names = policyNames(context);
        }
        assertThat(names).as("registered eviction policies").isEqualTo(expected);
    }

    /** All policies' names: getAllServiceReferences, since the test's class space has no EvictionPolicy of its own. */
    private static List<String> policyNames(BundleContext context) throws Exception {
        ServiceReference<?>[] references = context.getAllServiceReferences(POLICY, null);
        TreeSet<String> names = new TreeSet<>();
        for (ServiceReference<?> reference : references == null ? new ServiceReference<?>[0] : references) {
            names.add((String) reference.getProperty(NAME_PROPERTY));
        }
        return new ArrayList<>(names);
    }

    private static ServiceReference<?> policyReference(BundleContext context, String name) throws Exception {
        ServiceReference<?>[] references = context.getAllServiceReferences(POLICY, "(" + NAME_PROPERTY + "=" + name + ")");
        return references == null ? null : references[0];
    }

    /** Calls a method of the API interface, loaded by the bundle that registered the service. */
    private static Object call(Object service, String method) throws Exception {
        return apiClass(service, POLICY).getMethod(method).invoke(service);
    }

    private static Class<?> apiClass(Object service, String name) throws ClassNotFoundException {
        return service.getClass().getClassLoader().loadClass(name);
    }

    /** Three entries through the plug-in's own tracker, the first two used again: the third is the victim. */
    private static String victimsAfterASmallSequence(Object policy) throws Exception {
        Object tracker = call(policy, "newTracker");
        Class<?> trackerType = apiClass(policy, "dev.steadytext.api.eviction.EvictionTracker");
        Class<?> entryType = apiClass(policy, "dev.steadytext.api.eviction.CacheEntry");
        Method onInsert = trackerType.getMethod("onInsert", entryType, long.class);
        Method onHit = trackerType.getMethod("onHit", String.class, long.class);
        Method victims = trackerType.getMethod("victims", int.class, long.class);
        for (String key : List.of("a", "c", "b")) {
            onInsert.invoke(tracker, entryType.getConstructor(String.class, long.class, long.class)
                    .newInstance(key, 100L, 5L), 1L);
        }
        onHit.invoke(tracker, "a", 2L);
        onHit.invoke(tracker, "c", 2L);
        List<?> result = (List<?>) victims.invoke(tracker, 1, 3L);
        List<String> keys = new ArrayList<>();
        for (Object victim : result) {
            keys.add((String) victim.getClass().getMethod("key").invoke(victim));
        }
        return keys.toString();
    }
}
