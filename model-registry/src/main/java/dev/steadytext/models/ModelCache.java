package dev.steadytext.models;

import dev.steadytext.backend.support.Sha256;
import dev.steadytext.models.DownloadProgress.Phase;
import dev.steadytext.models.ModelFileException.Reason;
import dev.steadytext.models.internal.DownloadLock;
import dev.steadytext.models.internal.ResumableDownload;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

/**
 * The model cache: where each model's file is, and the downloads, verifications and removals of files of the cache
 * directory.
 *
 * <p>A file of repository {@code owner/name} lives at {@code {cacheDirectory}/owner/name/{file}}, with its SHA-256
 * beside it in {@code {file}.sha256} (the {@code sha256sum} format). A download writes {@code {file}.part}, resumes
 * it after a broken connection (HTTP Range), checks the complete file's SHA-256 against the registry's or else the
 * server's, and only then moves it into place atomically; a file that fails the check is deleted. Two processes
 * pulling the same file take turns through a lock file under {@code {cacheDirectory}/.locks/}, and the second finds
 * the file in place.
 *
 * <p>Thread-safe. Close it to release its HTTP client.
 */
public final class ModelCache implements AutoCloseable {

    /** Suffix of the partial file a download writes. */
    public static final String PART_SUFFIX = ".part";
    /** Suffix of the file holding a downloaded file's SHA-256. */
    public static final String CHECKSUM_SUFFIX = ".sha256";
    static final String LOCK_DIRECTORY = ".locks";

    /** Whether a model's file is available. */
    public enum State {
        /** Shipped inside a bundle (or needs no file). */
        BUNDLED,
        /** The file is there. */
        PRESENT,
        /** An interrupted download left a partial file; the next download resumes it. */
        PARTIAL,
        /** No file. */
        MISSING
    }

    /**
     * What {@link #verify} found.
     *
     * @param status the verdict
     * @param file the file that was checked, if the model has one
     * @param expectedSha256 the checksum it must have: the registry's, else the one recorded when it was downloaded
     * @param actualSha256 the file's checksum, if it was read
     */
    public record Verification(Status status, Optional<Path> file, Optional<String> expectedSha256,
            Optional<String> actualSha256) {

        /** The verdict of a verification. */
        public enum Status {
            /** The file has the expected SHA-256. */
            OK,
            /** The file's SHA-256 differs: remove it and download it again. */
            MISMATCH,
            /** There is no expected SHA-256 to compare with; {@code actualSha256} is what the file has. */
            UNCHECKED,
            /** There is no file. */
            MISSING,
            /** The model is bundled and has no file here. */
            NO_FILE
        }
    }

    private final ModelSettings settings;
    private final int maxAttempts;
    private final Duration retryDelay;
    private HttpClient client;

    /** A cache over {@code settings}' directory, downloading from its base URL when its settings allow. */
    public ModelCache(ModelSettings settings) {
        this(settings, 4, Duration.ofSeconds(2));
    }

    /**
     * @param maxAttempts how many connections one download may use before it gives up (kept partial file and all)
     * @param retryDelay the pause before the second attempt; the n-th pause is n times as long
     */
    ModelCache(ModelSettings settings, int maxAttempts, Duration retryDelay) {
        this.settings = settings;
        this.maxAttempts = maxAttempts;
        this.retryDelay = retryDelay;
    }

    public ModelSettings settings() {
        return settings;
    }

    /** Where the model's file is or will be: its configured path, its place in the cache, or none if bundled. */
    public Optional<Path> location(ModelEntry entry) {
        return switch (entry.source()) {
            case ModelSource.Remote remote -> Optional.of(remote.cachePath(settings.cacheDirectory()));
            case ModelSource.Local local -> Optional.of(local.path());
            case ModelSource.Bundled bundled -> Optional.empty();
        };
    }

    /** Where the model's file is downloaded from, if it comes from a repository. */
    public Optional<URI> downloadUrl(ModelEntry entry) {
        return entry.source() instanceof ModelSource.Remote remote
                ? Optional.of(remote.url(settings.baseUrl())) : Optional.empty();
    }

    /** Whether the model's file is available, without reading it. */
    public State state(ModelEntry entry) {
        return switch (entry.source()) {
            case ModelSource.Bundled bundled -> State.BUNDLED;
            case ModelSource.Local local -> Files.isRegularFile(local.path()) ? State.PRESENT : State.MISSING;
            case ModelSource.Remote remote -> {
                Path target = remote.cachePath(settings.cacheDirectory());
                yield Files.isRegularFile(target) ? State.PRESENT
                        : Files.isRegularFile(sibling(target, PART_SUFFIX)) ? State.PARTIAL : State.MISSING;
            }
        };
    }

    /**
     * The model's file, downloaded first if it is missing and downloads are allowed. A file already in place is
     * returned as it is (use {@link #verify} to re-check it).
     *
     * @throws ModelFileException when the file is missing and cannot be downloaded (forbidden: the message names the
     *     path to place it at and the URL to get it from), the download fails, or its checksum is wrong
     */
    public Path ensureAvailable(ModelEntry entry, DownloadListener listener) throws IOException, InterruptedException {
        return switch (entry.source()) {
            case ModelSource.Bundled bundled -> throw new ModelFileException(Reason.NO_FILE, "model " + entry.name()
                    + " is bundled (" + bundled.provider() + ") and has no file to download");
            case ModelSource.Local local -> {
                if (!Files.isRegularFile(local.path())) {
                    throw new ModelFileException(Reason.LOCAL_FILE_MISSING, "model " + entry.name()
                            + " is configured with path " + local.path() + ", but there is no file there");
                }
                yield local.path();
            }
            case ModelSource.Remote remote -> {
                Path target = remote.cachePath(settings.cacheDirectory());
                if (Files.isRegularFile(target)) {
                    yield target;
                }
                if (!settings.downloadsAllowed()) {
                    throw forbidden(entry, remote, target);
                }
                yield download(entry, remote, target, listener);
            }
        };
    }

    private ModelFileException forbidden(ModelEntry entry, ModelSource.Remote remote, Path target) {
        return new ModelFileException(Reason.DOWNLOADS_FORBIDDEN, "model " + entry.name() + " is not in the model"
                + " cache and downloads are forbidden (downloads = false in " + ModelSettings.FILE_NAME + "): place"
                + " the file at " + target + ", downloaded from " + remote.url(settings.baseUrl())
                + entry.sha256().map(sha -> " (SHA-256 " + sha + ")").orElse("") + ", or allow downloads");
    }

    private Path download(ModelEntry entry, ModelSource.Remote remote, Path target, DownloadListener listener)
            throws IOException, InterruptedException {
        Path part = sibling(target, PART_SUFFIX);
        Path lockFile = sibling(settings.cacheDirectory().resolve(LOCK_DIRECTORY).resolve(remote.repository())
                .resolve(remote.file()), ".lock");
        try (DownloadLock lock = DownloadLock.acquire(lockFile,
                () -> listener.progress(new DownloadProgress(entry.name(), Phase.WAITING, 0, -1, 0, 1)))) {
            if (Files.isRegularFile(target)) {
                // Another process or thread downloaded it while this one waited.
                listener.progress(new DownloadProgress(entry.name(), Phase.DONE, Files.size(target),
                        Files.size(target), 0, 1));
                return target;
            }
            Files.createDirectories(target.getParent());
            for (boolean fresh = false; ; fresh = true) {
                ResumableDownload.Result result;
                try {
                    result = new ResumableDownload(client(), remote.url(settings.baseUrl()), part, entry.sha256(),
                            settings.requireChecksum(), maxAttempts, retryDelay,
                            (phase, done, total, rate, attempt) -> listener.progress(
                                    new DownloadProgress(entry.name(), phase, done, total, rate, attempt)))
                            .run();
                } catch (ModelFileException e) {
                    if (e.reason() != Reason.TRANSFER_FAILED) {
                        throw e;
                    }
                    // What to do when this machine cannot reach the server at all: fetch the file elsewhere.
                    throw new ModelFileException(Reason.TRANSFER_FAILED, e.getMessage() + ". Check that this machine"
                            + " reaches " + remote.url(settings.baseUrl()).getHost() + ", or place the file at "
                            + target + entry.sha256().map(sha -> " (SHA-256 " + sha + ")").orElse(""), e.getCause());
                }
                listener.progress(new DownloadProgress(entry.name(), Phase.VERIFYING, result.bytes(), result.bytes(),
                        0, 1));
                String actual = Sha256.of(part);
                if (result.expectedSha256().isEmpty() || result.expectedSha256().get().equals(actual)) {
                    install(part, target, actual);
                    listener.progress(new DownloadProgress(entry.name(), Phase.DONE, result.bytes(), result.bytes(),
                            0, 1));
                    return target;
                }
                Files.deleteIfExists(part);
                // A resumed partial file may be the start of an older version of the file: one fresh try settles it.
                if (!result.resumed() || fresh) {
                    throw new ModelFileException(Reason.CHECKSUM_MISMATCH, "the download of model " + entry.name()
                            + " from " + remote.url(settings.baseUrl()) + " has SHA-256 " + actual + ", but "
                            + result.expectedFrom() + " gives " + result.expectedSha256().get()
                            + "; the file was deleted");
                }
            }
        }
    }

    /** Records the checksum, then moves the verified file into place atomically and makes the move durable. */
    private static void install(Path part, Path target, String sha256) throws IOException {
        Path checksum = sibling(target, CHECKSUM_SUFFIX);
        Path checksumPart = sibling(checksum, PART_SUFFIX);
        Files.writeString(checksumPart, sha256 + "  " + target.getFileName() + "\n", StandardCharsets.UTF_8);
        forceFile(checksumPart);
        Files.move(checksumPart, checksum, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(target.getParent());
    }

    /**
     * Re-reads the model's file and compares its SHA-256 with the registry's, or else with the one recorded when
     * the cache downloaded it.
     */
    public Verification verify(ModelEntry entry) throws IOException {
        Optional<Path> file = location(entry);
        if (file.isEmpty()) {
            return new Verification(Verification.Status.NO_FILE, file, entry.sha256(), Optional.empty());
        }
        if (!Files.isRegularFile(file.get())) {
            return new Verification(Verification.Status.MISSING, file, entry.sha256(), Optional.empty());
        }
        Optional<String> expected = entry.sha256().or(() -> recordedChecksum(entry));
        String actual = Sha256.of(file.get());
        Verification.Status status = expected.isEmpty() ? Verification.Status.UNCHECKED
                : expected.get().equals(actual) ? Verification.Status.OK : Verification.Status.MISMATCH;
        return new Verification(status, file, expected, Optional.of(actual));
    }

    private Optional<String> recordedChecksum(ModelEntry entry) {
        if (!(entry.source() instanceof ModelSource.Remote remote)) {
            return Optional.empty();
        }
        Path checksum = sibling(remote.cachePath(settings.cacheDirectory()), CHECKSUM_SUFFIX);
        try {
            String line = Files.isRegularFile(checksum) ? Files.readString(checksum, StandardCharsets.UTF_8).trim() : "";
            String hex = line.split("\\s+", 2)[0];
            return hex.matches("[0-9a-f]{64}") ? Optional.of(hex) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Deletes the model's file from the cache, with its partial download and recorded checksum, waiting for a
     * download of it in progress to end first.
     *
     * @return whether there was anything to delete
     * @throws ModelFileException if the model is bundled or configured by path (the cache removes only what it
     *     downloads)
     */
    public boolean remove(ModelEntry entry) throws IOException, InterruptedException {
        if (!(entry.source() instanceof ModelSource.Remote remote)) {
            throw new ModelFileException(Reason.NO_FILE, "model " + entry.name() + " is not a file of the model cache ("
                    + entry.source().describe() + "); the cache removes only the files it downloads");
        }
        Path target = remote.cachePath(settings.cacheDirectory());
        Path lockFile = sibling(settings.cacheDirectory().resolve(LOCK_DIRECTORY).resolve(remote.repository())
                .resolve(remote.file()), ".lock");
        try (DownloadLock lock = DownloadLock.acquire(lockFile, () -> { })) {
            boolean removed = Files.deleteIfExists(target);
            removed |= Files.deleteIfExists(sibling(target, PART_SUFFIX));
            removed |= Files.deleteIfExists(sibling(target, CHECKSUM_SUFFIX));
            return removed;
        }
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(30))
                    // HTTP/1.1 keeps Range requests and test servers simple; one large file gains nothing from HTTP/2.
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    private static void forceFile(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not every platform can open a directory for fsync; the rename itself was atomic.
        }
    }
}
