package dev.steadytext.platform.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** Recognises framework extension fragments ({@code Fragment-Host: system.bundle; extension:=framework}). */
final class FrameworkExtension {

    private FrameworkExtension() {}

    static boolean is(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String host = manifest == null ? null : manifest.getMainAttributes().getValue("Fragment-Host");
            return host != null && host.contains("extension:=");
        } catch (IOException e) {
            return false; // installBundle reports it properly
        }
    }
}
