package dev.steadytext.platform.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A directory private to this process, holding the framework's storage and so the bundles' data areas (where the
 * llama.cpp backend extracts its native library; the ONNX backend uses the home's content-addressed cache instead).
 *
 * <p>Named after the process id, so that several runtimes under one home never share one (a native library deleted
 * by one JVM while another loads it is how shared temp directories break). Directories left by processes that no
 * longer exist (a {@code kill -9}) are removed at the next start.
 */
final class RuntimeDirectory implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RuntimeDirectory.class.getName());

    private final Path path;

    private RuntimeDirectory(Path path) {
        this.path = path;
    }

    static RuntimeDirectory create(Path homeDirectory) {
        Path parent = homeDirectory.resolve("run");
        removeOrphans(parent);
        Path path = parent.resolve(Long.toString(ProcessHandle.current().pid()));
        deleteTree(path); // the same pid reused after a crash: start clean
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the runtime directory " + path, e);
        }
        return new RuntimeDirectory(path);
    }

    Path path() {
        return path;
    }

    Path resolve(String child) {
        return path.resolve(child);
    }

    @Override
    public void close() {
        deleteTree(path);
    }

    private static void removeOrphans(Path parent) {
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (Stream<Path> children = Files.list(parent)) {
            children.filter(child -> isOrphan(child.getFileName().toString())).forEach(RuntimeDirectory::deleteTree);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot list " + parent, e);
        }
    }

    private static boolean isOrphan(String name) {
        try {
            long pid = Long.parseLong(name);
            return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot delete " + root, e);
        }
    }
}
