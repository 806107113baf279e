package dev.steadytext.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/**
 * A real Felix framework with SCR and ConfigAdmin, as the platform's launcher starts them, for a bundle's ITs.
 *
 * <p>The bundles are installed from files (failsafe passes their locations), never from the test class path; only the
 * API packages are exported from the system bundle, as in the platform, so the test can call the services.
 */
public final class FelixRuntime implements AutoCloseable {

    /** The API packages and their versions: keep in step with the api module's package-info files. */
    private static final String API_PACKAGES = String.join(",",
            java.util.stream.Stream.of("model;version=1.1.0", "generate;version=1.2.0", "embed;version=1.0.0",
                    "cache;version=1.1.0", "queue;version=1.2.0", "eviction;version=1.0.0", "rerank;version=1.0.0").map(p -> "dev.steadytext.api." + p).toList());
    private static final List<String> PLATFORM_BUNDLES = List.of("org.osgi.util.function.jar",
            "org.osgi.util.promise.jar", "org.osgi.service.component.jar", "org.apache.felix.scr.jar",
            "org.apache.felix.configadmin.jar");

    private final Framework framework;

    private FelixRuntime(Framework framework) {
        this.framework = framework;
    }

    /**
     * Starts the framework with the platform bundles and then the bundle under test: failsafe passes the directory
     * holding the platform bundles ({@code steadytext.it.bundles}) and the bundle ({@code steadytext.it.bundle}).
     */
    public static FelixRuntime start(Path storage) throws BundleException, IOException {
        Path bundles = Path.of(requiredProperty("steadytext.it.bundles"));
        Path bundle = Path.of(requiredProperty("steadytext.it.bundle"));
        Framework framework = new org.apache.felix.framework.FrameworkFactory().newFramework(Map.of(
                Constants.FRAMEWORK_STORAGE, storage.toAbsolutePath().toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, API_PACKAGES));
        framework.start();
        BundleContext context = framework.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        for (String name : PLATFORM_BUNDLES) {
            installed.add(context.installBundle(bundles.resolve(name).toUri().toString()));
        }
        if (!Files.isRegularFile(bundle)) {
            fail("bundle under test " + bundle + " is missing; run the ITs through Maven (after package)");
        }
        installed.add(context.installBundle(bundle.toUri().toString()));
        for (Bundle b : installed) {
            b.start();
        }
        return new FelixRuntime(framework);
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            fail("system property " + name + " is not set; run the ITs through Maven (failsafe sets it)");
        }
        return value;
    }

    public BundleContext context() {
        return framework.getBundleContext();
    }

    /**
     * Creates or updates a configuration through ConfigAdmin, with location "?" as configurations created from outside
     * a bundle must have. Reflection, because the ConfigAdmin API lives in a bundle, not on the test class path.
     */
    public void configure(String pid, Dictionary<String, Object> properties) throws ReflectiveOperationException {
        ServiceReference<?> reference = context().getServiceReference("org.osgi.service.cm.ConfigurationAdmin");
        if (reference == null) {
            fail("ConfigurationAdmin is not registered");
        }
        Object admin = context().getService(reference);
        Object configuration = admin.getClass().getMethod("getConfiguration", String.class, String.class)
                .invoke(admin, pid, "?");
        configuration.getClass().getMethod("update", Dictionary.class).invoke(configuration, properties);
    }

    /** Waits for a service of the given type whose class the test shares with the framework (an API type). */
    public <T> ServiceReference<T> awaitService(Class<T> type, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            ServiceReference<T> reference = context().getServiceReference(type);
            if (reference != null) {
                return reference;
            }
            Thread.sleep(20);
        }
        return fail("no " + type.getName() + " service within " + timeoutMillis + " ms; see the log above");
    }

    public Bundle bundle(String symbolicName) {
        for (Bundle b : context().getBundles()) {
            if (b.getSymbolicName().equals(symbolicName)) {
                return b;
            }
        }
        return fail("bundle " + symbolicName + " is not installed");
    }

    @Override
    public void close() throws BundleException, InterruptedException {
        framework.stop();
        framework.waitForStop(10_000);
    }
}
