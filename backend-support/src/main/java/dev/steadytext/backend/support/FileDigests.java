package dev.steadytext.backend.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Properties;

/**
 * SHA-256 digests of files and bundled resources, remembered across starts in one small properties file.
 *
 * <p>A model's digest is part of every cache key, so it must be right; but hashing a 90 MB embedding model or a
 * multi-gigabyte GGUF file on every start makes the platform slow to become ready. A file's digest is reused while
 * its size, modification time (nanosecond precision where the file system has it) and file key (the inode on
 * Linux) are unchanged, which is the test {@code git status} and {@code rsync} rely on: a file rewritten in place
 * keeps its inode but gets a new modification time. A bundled resource's digest is reused while the bundle that
 * holds it is the same build, named by a stamp the caller derives from the bundle (its last-modified time).
 *
 * <p>The memo is an optimisation only: when it cannot be read or written, digests are computed as if it were empty.
 * Not thread-safe; one loader thread uses an instance.
 */
public final class FileDigests {

    private static final System.Logger LOG = System.getLogger(FileDigests.class.getName());

    private final Path memoFile;
    private final Properties memo = new Properties();
    private boolean changed;

    private FileDigests(Path memoFile) {
        this.memoFile = memoFile;
    }

    /** The digests remembered in {@code memoFile}, which need not exist yet. */
    public static FileDigests open(Path memoFile) {
        FileDigests digests = new FileDigests(memoFile);
        if (Files.isRegularFile(memoFile)) {
            try (InputStream in = Files.newInputStream(memoFile)) {
                digests.memo.load(in);
            } catch (IOException | IllegalArgumentException e) {
                LOG.log(System.Logger.Level.DEBUG, "ignoring unreadable digest memo " + memoFile, e);
                digests.memo.clear();
            }
        }
        return digests;
    }

    /** The SHA-256 of a file, from the memo while the file is unchanged, else computed and remembered. */
    public String of(Path file) throws IOException {
        String name = fileName(file);
        String identity = identity(file);
        String remembered = memo.getProperty(name);
        if (remembered != null && remembered.startsWith(identity + " ")) {
            return remembered.substring(identity.length() + 1);
        }
        String digest = Sha256.of(file);
        remember(name, identity + " " + digest);
        return digest;
    }

    /** Records the digest of a file the caller has just written from content of a known digest. */
    public void wrote(Path file, String digest) throws IOException {
        remember(fileName(file), identity(file) + " " + digest);
    }

    /**
     * The SHA-256 of a bundled resource, from the memo while {@code stamp} is the one it was computed under.
     *
     * @param stamp changes whenever the resource may have: for a resource inside a bundle, the bundle's last-modified
     *     time, which the framework sets on every install and update
     */
    public String ofResource(String resource, String stamp, ResourceOpener opener) throws IOException {
        String name = "resource:" + resource;
        String remembered = memo.getProperty(name);
        if (remembered != null && remembered.startsWith(stamp + " ")) {
            return remembered.substring(stamp.length() + 1);
        }
        String digest;
        try (InputStream in = opener.open()) {
            digest = Sha256.of(in);
        }
        remember(name, stamp + " " + digest);
        return digest;
    }

    /** Writes the memo if anything was added; failures are logged, since the memo only saves time. */
    public void save() {
        if (!changed) {
            return;
        }
        try {
            Files.createDirectories(memoFile.toAbsolutePath().getParent());
            Path partial = Files.createTempFile(memoFile.toAbsolutePath().getParent(), "digests-", ".part");
            try {
                try (OutputStream out = Files.newOutputStream(partial)) {
                    memo.store(out, "SHA-256 of model files and bundled resources; delete to recompute");
                }
                Files.move(partial, memoFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
            changed = false;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot save the digest memo " + memoFile + " (" + e.getMessage()
                    + "); digests will be computed again on the next start");
        }
    }

    private void remember(String name, String value) {
        memo.setProperty(name, value);
        changed = true;
    }

    private static String fileName(Path file) {
        return "file:" + file.toAbsolutePath().normalize();
    }

    /**
     * What identifies a file's content without reading it: size, modification time and file key. Also a good stamp
     * for {@link #ofResource}: the identity of the jar that holds the resources.
     */
    public static String identity(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        Object key = attributes.fileKey();
        return attributes.size() + "/" + attributes.lastModifiedTime().toInstant() + "/" + (key == null ? "-" : key);
    }

    /** Opens a resource's content; the caller closes the stream. */
    @FunctionalInterface
    public interface ResourceOpener {
        InputStream open() throws IOException;
    }

}
