package dev.steadytext.benchmarks;

import dev.steadytext.benchmarks.noop.NoopActivator;
import dev.steadytext.benchmarks.noop.NoopGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Writes the benchmark-only no-op generator as an OSGi bundle, from this jar's own class files, so the build needs
 * no second artifact. The bundle imports the API packages the platform's system bundle exports.
 */
final class NoopBundle {

    private static final List<Class<?>> CLASSES = List.of(NoopActivator.class, NoopGenerator.class);

    private NoopBundle() {}

    /** Writes {@code noop-generator.jar} into {@code directory} atomically (FileInstall may be watching it). */
    static Path write(Path directory) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "dev.steadytext.benchmarks.noop");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Bundle-Activator", NoopActivator.class.getName());
        main.putValue("Import-Package", "dev.steadytext.api.generate;version=\"[1.0,2)\","
                + "dev.steadytext.api.model;version=\"[1.0,2)\",org.osgi.framework;version=\"[1.8,2)\"");
        Files.createDirectories(directory);
        Path partial = Files.createTempFile(directory, "noop-", ".part");
        try (OutputStream file = Files.newOutputStream(partial);
                JarOutputStream jar = new JarOutputStream(file, manifest)) {
            for (Class<?> type : CLASSES) {
                String entry = type.getName().replace('.', '/') + ".class";
                jar.putNextEntry(new JarEntry(entry));
                try (InputStream in = type.getClassLoader().getResourceAsStream(entry)) {
                    if (in == null) {
                        throw new IOException("class file " + entry + " not found on the class path");
                    }
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        Path bundle = directory.resolve("noop-generator.jar");
        Files.move(partial, bundle, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return bundle;
    }
}
