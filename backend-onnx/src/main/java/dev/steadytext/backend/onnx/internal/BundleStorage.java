package dev.steadytext.backend.onnx.internal;

import dev.steadytext.backend.support.FileDigests;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** Where this bundle's components extract native libraries and model files, and what identifies this build. */
final class BundleStorage {

    /**
     * Framework property: a directory kept across starts for files the backends extract (set by the launcher to its
     * home's {@code cache}); without it, the bundle's data area.
     */
    static final String CACHE_DIR_PROPERTY = "steadytext.cache.dir";

    private BundleStorage() {
    }

    /**
     * Where the native libraries and the bundled model are extracted: the launcher's cache directory, kept across
     * starts and shared by processes (safe, as {@link ResourceFiles} names directories after their content), else
     * this bundle's data area, which lives as long as the framework's storage.
     */
    static Path extractionDirectory(BundleContext context) {
        String cache = context.getProperty(CACHE_DIR_PROPERTY);
        if (cache != null && !cache.isBlank()) {
            return Path.of(cache, "backend-onnx");
        }
        File dir = context.getDataFile("");
        if (dir == null) {
            throw new IllegalStateException("the OSGi framework gives this bundle no data area for native libraries"
                    + " and the bundled model; configure framework storage (org.osgi.framework.storage)");
        }
        return dir.toPath();
    }

    /** Identifies this build of the bundle: its jar file's identity, else the time it was installed. */
    static String bundleStamp(BundleContext context) {
        Bundle bundle = context.getBundle();
        String location = bundle.getLocation();
        try {
            return FileDigests.identity(Path.of(URI.create(location.replaceFirst("^reference:", ""))));
        } catch (IOException | IllegalArgumentException | FileSystemNotFoundException e) {
            return bundle.getVersion() + "@" + bundle.getLastModified();
        }
    }
}
