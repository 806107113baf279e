package dev.steadytext.backend.onnx.internal;

import dev.steadytext.backend.support.FileDigests;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Copies files shipped inside this bundle to a directory, so native code can open them by path.
 *
 * <p>Callers extract into directories named after the content's digest ({@link #directoryFor}), so a directory shared
 * by several processes and kept across starts is safe: a file, once there, is never replaced by another content, and
 * a running process never sees the native library it loaded change under it.
 *
 * @param digests remembers what was extracted, so that a start with unchanged files hashes nothing
 * @param bundleStamp changes whenever the bundle's content may have (its last-modified time)
 */
record ResourceFiles(FileDigests digests, String bundleStamp) {

    /** The SHA-256 of a resource of this bundle, computed once per build of the bundle. */
    String digest(String name) throws IOException {
        return digests.ofResource(name, bundleStamp, () -> open(name));
    }

    /** {@code parent}'s subdirectory for the content of these resources: the first digits of each one's digest. */
    Path directoryFor(Path parent, String... names) throws IOException {
        StringBuilder dir = new StringBuilder();
        for (String name : names) {
            dir.append(dir.isEmpty() ? "" : "-").append(digest(name), 0, 16);
        }
        return parent.resolve(dir.toString());
    }

    /**
     * Extracts the class-path resource {@code name} to {@code dir/fileName} unless an identical copy is there.
     *
     * @return the SHA-256 of the resource (which is also the file's)
     */
    String extract(String name, Path dir, String fileName) throws IOException {
        Files.createDirectories(dir);
        String expected = digest(name);
        Path file = dir.resolve(fileName);
        if (Files.exists(file) && digests.of(file).equals(expected)) {
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
        digests.wrote(file, expected);
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
