package dev.steadytext.models.internal;

import dev.steadytext.models.DownloadProgress.Phase;
import dev.steadytext.models.ModelFileException;
import dev.steadytext.models.ModelFileException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

/**
 * Brings a partial file ({@code .part}) up to the complete content of a URL: resumes from the partial file's length
 * with an HTTP {@code Range} request, starts over when the server ignores the range (200 instead of 206), and
 * retries a broken connection a few times, each time from what has arrived. Only the caller's lock makes it safe
 * against a second writer of the same partial file.
 *
 * <p>Before a byte of the body is written, it settles which SHA-256 the file must have: the registry's, else the
 * server's ({@link ServerChecksum}); a server that contradicts the registry, or (when one is required) the lack of any
 * checksum, fails the download at once. The caller verifies the complete file against {@link Result#expectedSha256()}.
 */
public final class ResumableDownload {

    private static final int BUFFER = 1 << 16;
    private static final long REPORT_INTERVAL_NANOS = 200_000_000L;
    private static final Duration HEADERS_TIMEOUT = Duration.ofMinutes(2);

    /** Receives progress; the {@code model} and phase-independent parts of {@code DownloadProgress} are the caller's. */
    @FunctionalInterface
    public interface Progress {
        void report(Phase phase, long bytesDone, long totalBytes, double bytesPerSecond, int attempt);
    }

    /**
     * A complete partial file.
     *
     * @param bytes its length
     * @param expectedSha256 the SHA-256 it must have (the registry's, else the server's), if any is known
     * @param expectedFrom where that checksum came from: {@code the registry} or {@code the server}
     * @param resumed whether an earlier download's partial file was continued (so a checksum mismatch may come from
     *     a file that changed on the server in between)
     */
    public record Result(long bytes, Optional<String> expectedSha256, String expectedFrom, boolean resumed) {}

    private final HttpClient client;
    private final URI url;
    private final Path part;
    private final Optional<String> registrySha256;
    private final boolean requireChecksum;
    private final int maxAttempts;
    private final Duration retryDelay;
    private final Progress progress;
    private Optional<String> serverSha256 = Optional.empty();

    public ResumableDownload(HttpClient client, URI url, Path part, Optional<String> registrySha256,
            boolean requireChecksum, int maxAttempts, Duration retryDelay, Progress progress) {
        this.client = client;
        this.url = url;
        this.part = part;
        this.registrySha256 = registrySha256;
        this.requireChecksum = requireChecksum;
        this.maxAttempts = maxAttempts;
        this.retryDelay = retryDelay;
        this.progress = progress;
    }

    /** Downloads until the partial file is complete, or fails after {@code maxAttempts} broken connections. */
    public Result run() throws IOException, InterruptedException {
        boolean resumed = partLength() > 0;
        IOException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            progress.report(Phase.CONNECTING, partLength(), -1, 0, attempt);
            try {
                long bytes = attempt(attempt);
                Optional<String> expected = registrySha256.or(() -> serverSha256);
                return new Result(bytes, expected, registrySha256.isPresent() ? "the registry" : "the server", resumed);
            } catch (ModelFileException e) {
                throw e;
            } catch (IOException e) {
                last = e;
                if (attempt < maxAttempts) {
                    Thread.sleep(retryDelay.multipliedBy(attempt).toMillis());
                }
            }
        }
        long kept = partLength();
        throw new ModelFileException(Reason.TRANSFER_FAILED, "downloading " + url + " failed " + maxAttempts
                + " times (last: " + describe(last) + "); " + (kept == 0 ? "nothing was received"
                        : "the " + kept + " bytes received are kept in " + part + ", and the next try resumes from there"),
                last);
    }

    /** A failure in words: HttpClient's connection failures often carry no message of their own, only a cause. */
    static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t == failure ? t.getMessage() : failure.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return failure.getClass().getSimpleName();
    }

    /** One request: returns the complete length, or throws an IOException worth retrying. */
    private long attempt(int attempt) throws IOException, InterruptedException {
        long offset = partLength();
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET().timeout(HEADERS_TIMEOUT)
                .header("User-Agent", "steadytext-model-registry");
        if (offset > 0) {
            request.header("Range", "bytes=" + offset + "-");
        }
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 416 && offset > 0) {
                return alreadyComplete(response, offset);
            }
            if (status != 200 && status != 206) {
                throw refused(status);
            }
            ServerChecksum.of(response).ifPresent(sha -> serverSha256 = Optional.of(sha));
            checkExpectedChecksum();
            long start = 0;
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (status == 206) {
                ContentRange range = ContentRange.parse(response.headers().firstValue("Content-Range").orElse(null))
                        .orElseThrow(() -> new IOException("HTTP 206 without a valid Content-Range header"));
                if (range.start() != offset) {
                    Files.deleteIfExists(part);
                    throw new IOException("the server sent bytes from " + range.start() + " instead of " + offset
                            + "; starting over");
                }
                start = offset;
                total = range.total();
            }
            return copy(body, start, total, attempt);
        }
    }

    /** A 416 answer to a range starting at the partial file's end: complete if the server's size says so. */
    private long alreadyComplete(HttpResponse<InputStream> response, long offset) throws IOException {
        Optional<ContentRange> range = ContentRange.parse(response.headers().firstValue("Content-Range").orElse(null));
        if (range.isPresent() && range.get().total() == offset) {
            ServerChecksum.of(response).ifPresent(sha -> serverSha256 = Optional.of(sha));
            checkExpectedChecksum();
            return offset;
        }
        Files.deleteIfExists(part);
        throw new IOException("the server refused to resume at byte " + offset + " (HTTP 416); starting over");
    }

    private void checkExpectedChecksum() throws ModelFileException {
        if (registrySha256.isPresent() && serverSha256.isPresent() && !registrySha256.equals(serverSha256)) {
            throw new ModelFileException(Reason.CHECKSUM_MISMATCH, url + ": the server gives SHA-256 "
                    + serverSha256.get() + " but the registry expects " + registrySha256.get()
                    + "; nothing was downloaded (is the registry entry, its revision or the base URL wrong?)");
        }
        if (requireChecksum && registrySha256.isEmpty() && serverSha256.isEmpty()) {
            throw new ModelFileException(Reason.NO_CHECKSUM, url + ": neither the registry nor the server gives a SHA-256"
                    + " to verify the file against; add the model's sha256 to the configuration, or set"
                    + " requireChecksum = false to accept it unverified");
        }
    }

    private ModelFileException refused(int status) {
        String hint = switch (status) {
            case 401, 403 -> " (the repository may be gated or private)";
            case 404 -> " (no such repository, revision or file)";
            default -> "";
        };
        return new ModelFileException(Reason.SERVER_REFUSED, "HTTP " + status + " from " + url + hint);
    }

    private long copy(InputStream body, long start, long total, int attempt) throws IOException {
        StandardOpenOption mode = start == 0 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND;
        long done = start;
        long began = System.nanoTime();
        long lastReport = 0;
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = body.read(buffer)) >= 0; ) {
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
                done += n;
                long now = System.nanoTime();
                if (now - lastReport >= REPORT_INTERVAL_NANOS) {
                    progress.report(Phase.TRANSFERRING, done, total, rate(done - start, now - began), attempt);
                    lastReport = now;
                }
            }
            out.force(true);
        }
        progress.report(Phase.TRANSFERRING, done, total, rate(done - start, System.nanoTime() - began), attempt);
        if (total >= 0 && done != total) {
            throw new IOException("the connection ended after " + done + " of " + total + " bytes");
        }
        return done;
    }

    private static double rate(long bytes, long nanos) {
        return nanos <= 0 ? 0 : bytes * 1e9 / nanos;
    }

    private long partLength() throws IOException {
        return Files.isRegularFile(part) ? Files.size(part) : 0;
    }
}
