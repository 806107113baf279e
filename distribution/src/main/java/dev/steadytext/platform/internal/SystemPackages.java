package dev.steadytext.platform.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

/**
 * The packages the system bundle exports from the launcher's class path
 * ({@code org.osgi.framework.system.packages.extra}).
 *
 * <p>Each is taken verbatim from the {@code Export-Package} header of the jar that holds it, so versions and
 * {@code uses:} constraints stay exactly those the jar was built with. These are the packages whose classes the
 * host and the bundles must share: the steadytext API (services handed to the host) and the OSGi service APIs the
 * launcher calls itself (ConfigAdmin, SCR's runtime DTOs, and the promise/function packages they use).
 */
final class SystemPackages {

    /** One class from each jar whose exports go to the system bundle. */
    private static final List<String> EXPORTING_JARS = List.of(
            "dev.steadytext.api.queue.Worker",
            "org.osgi.service.cm.ConfigurationAdmin",
            "org.osgi.service.component.runtime.ServiceComponentRuntime",
            "org.osgi.util.promise.Promise",
            "org.osgi.util.function.Function");

    private SystemPackages() {}

    static String exportedFromClassPath() {
        return EXPORTING_JARS.stream()
                .map(SystemPackages::exportPackageHeaderOf)
                .collect(Collectors.joining(","));
    }

    private static String exportPackageHeaderOf(String className) {
        Class<?> type;
        try {
            type = Class.forName(className, false, SystemPackages.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(className + " is not on the launcher class path", e);
        }
        Path location;
        try {
            location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("Cannot locate the jar of " + className, e);
        }
        String header = manifestOf(location).getMainAttributes().getValue("Export-Package");
        if (header == null) {
            throw new IllegalStateException(location + " has no Export-Package header (needed for " + className + ")");
        }
        return header;
    }

    private static Manifest manifestOf(Path location) {
        try {
            if (Files.isDirectory(location)) { // a reactor module's target/classes in tests
                try (InputStream in = Files.newInputStream(location.resolve("META-INF/MANIFEST.MF"))) {
                    return new Manifest(in);
                }
            }
            try (JarFile jar = new JarFile(location.toFile())) {
                Manifest manifest = jar.getManifest();
                if (manifest == null) {
                    throw new IllegalStateException(location + " has no manifest");
                }
                return manifest;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the manifest of " + location, e);
        }
    }
}
