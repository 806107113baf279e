package dev.steadytext.backend.llamacpp.internal;

import dev.steadytext.backend.support.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The java-llama.cpp native library, extracted into a directory this runtime owns.
 *
 * <p>By default java-llama.cpp extracts {@code libjllama.so} into {@code java.io.tmpdir}, shared by every JVM on the
 * host, and on class initialisation deletes every file there whose name starts with {@code llama} or {@code jllama}.
 * So we extract the library ourselves into {@code <dir>/lib} (which also gives us its hash for the fingerprint),
 * point {@code de.kherud.llama.lib.path} at it, and point {@code de.kherud.llama.tmpdir} at an empty {@code <dir>/tmp}
 * where its clean-up can do no harm. Both are JVM-wide properties: they must be set before the first use of any
 * {@code de.kherud.llama} class, and there can be only one llama.cpp library per JVM anyway.
 *
 * @param file the extracted library
 * @param sha256 lowercase hex SHA-256 of the library
 */
record LlamaNativeLibrary(Path file, String sha256) {

    static final String RESOURCE = "/de/kherud/llama/Linux/x86_64/libjllama.so";
    static final String LIB_PATH_PROPERTY = "de.kherud.llama.lib.path";
    static final String TMPDIR_PROPERTY = "de.kherud.llama.tmpdir";

    /** Extracts the library into {@code dir/lib} unless an identical copy is there, and sets the loader properties. */
    static LlamaNativeLibrary prepare(Path dir) throws IOException {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.startsWith("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException("the llama.cpp backend bundles the Linux x86_64 native library only, but this"
                    + " JVM runs on " + os + " " + arch + "; run the worker on Linux x86_64");
        }
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String expected;
        try (InputStream in = resource()) {
            expected = Sha256.of(in);
        }
        Path file = lib.resolve("libjllama.so");
        if (!Files.exists(file) || !Sha256.of(file).equals(expected)) {
            // Write beside, then rename: a crash mid-copy must not leave a truncated library that a later start loads.
            Path partial = Files.createTempFile(lib, "extract-", ".part");
            try (InputStream in = resource()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        }
        System.setProperty(LIB_PATH_PROPERTY, lib.toAbsolutePath().toString());
        System.setProperty(TMPDIR_PROPERTY, tmp.toAbsolutePath().toString());
        return new LlamaNativeLibrary(file, expected);
    }

    private static InputStream resource() throws IOException {
        InputStream in = LlamaNativeLibrary.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IOException("the native library " + RESOURCE + " is missing from this bundle's class path;"
                    + " rebuild backend-llamacpp or put de.kherud:llama " + "on the class path");
        }
        return in;
    }
}
