package dev.steadytext.backend.onnx.internal;

import dev.steadytext.backend.support.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Copies files shipped inside this bundle to a directory the runtime owns, so native code can open them by path. */
final class ResourceFiles {

    private ResourceFiles() {}

    /**
     * Extracts the class-path resource {@code name} to {@code dir/fileName} unless an identical copy is there.
     *
     * @return the SHA-256 of the resource (which is also the file's)
     */
    static String extract(String name, Path dir, String fileName) throws IOException {
        Files.createDirectories(dir);
        String expected;
        try (InputStream in = open(name)) {
            expected = Sha256.of(in);
        }
        Path file = dir.resolve(fileName);
        if (Files.exists(file) && Sha256.of(file).equals(expected)) {
            return expected;
        }
        // Write beside, then rename: a crash mid-copy must not leave a truncated file that a later start trusts.
        Path partial = Files.createTempFile(dir, "extract-", ".part");
        try (InputStream in = open(name)) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return expected;
    }

    private static InputStream open(String name) throws IOException {
        InputStream in = ResourceFiles.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("resource " + name + " is missing from this bundle's class path; rebuild"
                    + " backend-onnx (its bnd -includeresource adds it to the jar, not to target/classes)");
        }
        return in;
    }
}
