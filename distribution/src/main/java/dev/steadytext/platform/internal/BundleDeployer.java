package dev.steadytext.platform.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;

/**
 * Installs the bundles of a directory and starts them in two steps, so that configurations can be created between
 * the configuration admin's start and everyone else's.
 *
 * <p>Framework extensions (SPI Fly) are installed before anything else, so that the service-loader weaving is in
 * place before the first bundle that needs it resolves. Fragments are installed, never started.
 */
final class BundleDeployer {

    private static final System.Logger LOG = System.getLogger(BundleDeployer.class.getName());

    private final BundleContext context;
    private final List<Bundle> installed = new ArrayList<>();
    /** Bundles that failed to install or start, with the reason, for the readiness diagnosis. */
    private final Map<String, String> failures = new LinkedHashMap<>();
    private Set<String> leftOut = Set.of();

    BundleDeployer(BundleContext context) {
        this.context = context;
    }

    void installAll(Path directory) {
        List<Path> jars = jarsIn(directory);
        if (jars.isEmpty()) {
            throw new IllegalStateException("No bundles in " + directory);
        }
        for (Path jar : jars) {
            try {
                installed.add(context.installBundle(jar.toUri().toString()));
            } catch (BundleException e) {
                failures.put(jar.getFileName().toString(), e.getMessage());
                LOG.log(System.Logger.Level.ERROR, "Cannot install " + jar.getFileName(), e);
            }
        }
    }

    /** Starts the installed bundles with the given symbolic names, in that order. */
    void start(List<String> symbolicNames) {
        for (String name : symbolicNames) {
            installed.stream().filter(bundle -> name.equals(bundle.getSymbolicName())).forEach(this::start);
        }
    }

    /** Starts every installed bundle that is not a fragment, not started yet, and not one of those left out. */
    void startRest(Set<String> leftOut) {
        this.leftOut = Set.copyOf(leftOut);
        installed.stream()
                .filter(bundle -> bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null)
                .filter(bundle -> !leftOut.contains(bundle.getSymbolicName()))
                .filter(bundle -> bundle.getState() != Bundle.ACTIVE)
                .forEach(this::start);
    }

    List<Bundle> installed() {
        return List.copyOf(installed);
    }

    /** The bundles that should be active: installed, not fragments, not deliberately left stopped. */
    List<Bundle> expectedActive() {
        return installed.stream()
                .filter(bundle -> bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null)
                .filter(bundle -> !leftOut.contains(bundle.getSymbolicName()))
                .toList();
    }

    Map<String, String> failures() {
        return Map.copyOf(failures);
    }

    private void start(Bundle bundle) {
        try {
            bundle.start();
        } catch (BundleException | RuntimeException e) {
            failures.put(bundle.getSymbolicName(), e.getMessage());
            LOG.log(System.Logger.Level.ERROR, "Cannot start " + bundle.getSymbolicName(), e);
        }
    }

    /** Framework extensions first, then by file name: a stable order across starts. */
    private static List<Path> jarsIn(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jar"))
                    .sorted(Comparator.comparing((Path jar) -> !FrameworkExtension.is(jar))
                            .thenComparing(jar -> jar.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the bundles in " + directory, e);
        }
    }
}
