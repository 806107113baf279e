package dev.steadytext.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steadytext.models.DownloadProgress.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads of the real stories260K model from a local Hugging Face-style server. */
class ModelCacheTest {

    private static final String REPOSITORY = "ggml-org/models-moved";
    private static final String REVISION = "499bc8821c6b12b4e53c5bffcb21ec206f212d81";
    private static final String FILE = "tinyllamas/stories260K.gguf";
    private static final String WRONG_SHA256 = "0".repeat(64);

    private static byte[] content;
    private static ModelEntry stories;

    @TempDir
    Path cacheDirectory;

    private ModelFileServer server;
    private final List<DownloadProgress> reports = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void readTheSharedModel() throws IOException {
        content = SharedModel.stories260kBytes();
        stories = ModelRegistry.builtIn().find("stories260k").orElseThrow();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void ensureAvailable_downloadsVerifiesAndInstalls() throws Exception {
        server = new ModelFileServer(REPOSITORY, REVISION, FILE, content);

        Path file;
        try (ModelCache cache = cache(true)) {
            file = cache.ensureAvailable(stories, reports::add);
            assertThat(cache.state(stories)).isEqualTo(ModelCache.State.PRESENT);
        }

        assertThat(file).isEqualTo(cacheDirectory.resolve(REPOSITORY).resolve(FILE));
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        assertThat(Files.readString(file.resolveSibling("stories260K.gguf.sha256")))
                .isEqualTo(stories.sha256().orElseThrow() + "  stories260K.gguf\n");
        assertThat(file.resolveSibling("stories260K.gguf.part")).doesNotExist();
        assertThat(reports).extracting(DownloadProgress::phase).contains(Phase.CONNECTING, Phase.TRANSFERRING,
                Phase.VERIFYING).last().isEqualTo(Phase.DONE);
        assertThat(reports.get(reports.size() - 1).bytesDone()).isEqualTo(content.length);
    }

    @Test
    void ensureAvailable_connectionCutMidBody_resumesWithRangeFromThePartialFile() throws Exception {
        server = new ModelFileServer(REPOSITORY, REVISION, FILE, content).cutFirstAnswerAfter(400_000);

        Path file;
        try (ModelCache cache = cache(true)) {
            file = cache.ensureAvailable(stories, reports::add);
        }

        assertThat(server.rangeHeaders()).hasSize(2);
        assertThat(server.rangeHeaders().get(0)).isEmpty();
        long resumedAt = Long.parseLong(server.rangeHeaders().get(1).replaceAll("bytes=(\\d+)-", "$1"));
        assertThat(resumedAt).isBetween(1L, 400_000L);
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        assertThat(reports).anyMatch(p -> p.phase() == Phase.CONNECTING && p.attempt() == 2);
    }

    @Test
    void ensureAvailable_partialFileFromAnEarlierRun_isResumed() throws Exception {
        server = new ModelFileServer(REPOSITORY, REVISION, FILE, content);
        Path part = cacheDirectory.resolve(REPOSITORY).resolve(FILE + ModelCache.PART_SUFFIX);
        Files.createDirectories(part.getParent());
        Files.write(part, java.util.Arrays.copyOf(content, 123_456));

        try (ModelCache cache = cache(true)) {
            assertThat(cache.state(stories)).isEqualTo(ModelCache.State.PARTIAL);
            assertThat(Files.readAllBytes(cache.ensureAvailable(stories, reports::add))).isEqualTo(content);
        }

        assertThat(server.rangeHeaders()).containsExactly("bytes=123456-");
    }

    @Test
    void ensureAvailable_serverIgnoresRange_startsOverAndGivesTheRightFile() throws Exception {
        server = new ModelFileServer(REPOSITORY, REVISION, FILE, content).ignoreRange().cutFirstAnswerAfter(300_000);

        Path file;
        try (ModelCache cache = cache(true)) {
            file = cache.ensureAvailable(stories, reports::add);
        }

        assertThat(server.rangeHeaders()).hasSize(2);
        assertThat(server.rangeHeaders().get(1)).startsWith("bytes=");
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @Test
    void ensureAvailable_checksumMismatch_isRefusedAndLeavesNothingBehind() throws Exception {
        server = new ModelFileServer(REPOSITORY, REVISION, FILE, content);
        ModelEntry wrong = withSha256(stories, Optional.of(WRONG_SHA256));

        try (ModelCache cache = cache(true)) {
            assertThatThrownBy(() -> cache.ensureAvailable(wrong, reports::add))
                    .isInstanceOfSatisfying(ModelFileException.class,
                            e -> assertThat(e.reason()).isEqualTo(ModelFileException.Reason.CHECKSUM_MISMATCH))
                    .hasMessageContaining(stories.sha256().orElseThrow())
                    .hasMessageContaining(WRONG_SHA256)
                    .hasMessageContaining("deleted");
            assertThat(cache.state(wrong)).isEqualTo(ModelCache.State.MISSING);
        }

        assertThat(filesOutsideLocks()).isEmpty();
    }

    @Test
    void ensureAvailable_downloadsForbidden_saysWhichFileToPlaceWhere() throws Exception {
        try (ModelCache cache = cache(false)) {
            Path target = cacheDirectory.resolve(REPOSITORY).resolve(FILE);

            assertThatThrownBy(() -> cache.ensureAvailable(stories, reports::add))
                    .isInstanceOfSatisfying(ModelFileException.class,
                            e -> assertThat(e.reason()).isEqualTo(ModelFileException.Reason.DOWNLOADS_FORBIDDEN))
                    .hasMessageContaining("place the file at " + target)
                    .hasMessageContaining("http://127.0.0.1:1/" + REPOSITORY + "/resolve/" + REVISION + "/" + FILE)
                    .hasMessageContaining(stories.sha256().orElseThrow());
        }
        assertThat(filesOutsideLocks()).isEmpty();
    }

    @Test
    void ensureAvailable_downloadsForbiddenButFilePlaced_usesTheFile() throws Exception {
        Path target = cacheDirectory.resolve(REPOSITORY).resolve(FILE);
        Files.createDirectories(target.getParent());
        Files.write(target, content);

        try (ModelCache cache = cache(false)) {
            assertThat(cache.ensureAvailable(stories, reports::add)).isEqualTo(target);
            assertThat(cache.verify(stories).status()).isEqualTo(ModelCache.Verification.Status.OK);
        }
    }

    @Test
    void ensureAvailable_noRegistryChecksum_verifiesAgainstTheServersLinkedEtagBehindARedirect() throws Exception {
        server = new ModelFileServer(REPOSITORY, REVISION, FILE, content)
                .redirectLikeHuggingFace().linkedEtag(stories.sha256().orElseThrow());
        ModelEntry unpinned = withSha256(stories, Optional.empty());

        try (ModelCache cache = cache(true)) {
            Path file = cache.ensureAvailable(unpinned, reports::add);

            assertThat(Files.readAllBytes(file)).isEqualTo(content);
            ModelCache.Verification verification = cache.verify(unpinned);
            assertThat(verification.status()).isEqualTo(ModelCache.Verification.Status.OK);
            assertThat(verification.expectedSha256()).isEqualTo(stories.sha256());
        }
    }

    @Test
    void ensureAvailable_serverChecksumDisagrees_isRefusedBeforeDownloading() throws Exception {
        server = new ModelFileServer(REPOSITORY, REVISION, FILE, content).linkedEtag(WRONG_SHA256);
        ModelEntry unpinned = withSha256(stories, Optional.empty());

        try (ModelCache cache = cache(true)) {
            assertThatThrownBy(() -> cache.ensureAvailable(unpinned, reports::add))
                    .isInstanceOfSatisfying(ModelFileException.class,
                            e -> assertThat(e.reason()).isEqualTo(ModelFileException.Reason.CHECKSUM_MISMATCH))
                    .hasMessageContaining("the server gives " + WRONG_SHA256);
        }
        assertThat(filesOutsideLocks()).isEmpty();
    }

    @Test
    void ensureAvailable_registryAndServerDisagree_isRefusedBeforeDownloading() throws Exception {
        server = new ModelFileServer(REPOSITORY, REVISION, FILE, content).linkedEtag(WRONG_SHA256);

        try (ModelCache cache = cache(true)) {
            assertThatThrownBy(() -> cache.ensureAvailable(stories, reports::add))
                    .isInstanceOf(ModelFileException.class)
                    .hasMessageContaining("the server gives SHA-256 " + WRONG_SHA256)
                    .hasMessageContaining("nothing was downloaded");
        }
        assertThat(reports).noneMatch(p -> p.phase() == Phase.TRANSFERRING);
        assertThat(filesOutsideLocks()).isEmpty();
    }

    @Test
    void ensureAvailable_noChecksumAnywhere_isRefusedWhenChecksumsAreRequired() throws Exception {
        server = new ModelFileServer(REPOSITORY, REVISION, FILE, content);
        ModelEntry unpinned = withSha256(stories, Optional.empty());

        try (ModelCache cache = cache(true)) {
            assertThatThrownBy(() -> cache.ensureAvailable(unpinned, reports::add))
                    .isInstanceOfSatisfying(ModelFileException.class,
                            e -> assertThat(e.reason()).isEqualTo(ModelFileException.Reason.NO_CHECKSUM))
                    .hasMessageContaining("requireChecksum = false");
        }
        assertThat(filesOutsideLocks()).isEmpty();
    }

    @Test
    void ensureAvailable_serverUnreachable_saysWhatFailedAndWhereToPlaceTheFile() throws Exception {
        try (ModelCache cache = cache(true)) { // no server: nothing listens on the base URL's port
            Path target = cacheDirectory.resolve(REPOSITORY).resolve(FILE);

            assertThatThrownBy(() -> cache.ensureAvailable(stories, reports::add))
                    .isInstanceOfSatisfying(ModelFileException.class,
                            e -> assertThat(e.reason()).isEqualTo(ModelFileException.Reason.TRANSFER_FAILED))
                    .hasMessageContaining("failed 3 times (last: ")
                    .hasMessageNotContaining("null")
                    .hasMessageContaining("nothing was received")
                    .hasMessageContaining("Check that this machine reaches 127.0.0.1, or place the file at " + target)
                    .hasMessageContaining(stories.sha256().orElseThrow());
        }
    }

    @Test
    void ensureAvailable_missingFileOnTheServer_isAClearRefusal() throws Exception {
        server = new ModelFileServer(REPOSITORY, REVISION, "tinyllamas/other.gguf", content);

        try (ModelCache cache = cache(true)) {
            assertThatThrownBy(() -> cache.ensureAvailable(stories, reports::add))
                    .isInstanceOfSatisfying(ModelFileException.class,
                            e -> assertThat(e.reason()).isEqualTo(ModelFileException.Reason.SERVER_REFUSED))
                    .hasMessageContaining("HTTP 404")
                    .hasMessageContaining("no such repository, revision or file");
        }
    }

    @Test
    void ensureAvailable_twoPullersOfOneFile_downloadItOnceAndBothGetIt() throws Exception {
        server = new ModelFileServer(REPOSITORY, REVISION, FILE, content).delayPerChunk(5);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (ModelCache first = cache(true); ModelCache second = cache(true)) {
            Callable<Path> pullFirst = () -> first.ensureAvailable(stories, reports::add);
            Callable<Path> pullSecond = () -> second.ensureAvailable(stories, reports::add);
            Future<Path> a = pool.submit(pullFirst);
            Future<Path> b = pool.submit(pullSecond);

            assertThat(a.get()).isEqualTo(b.get());
            assertThat(Files.readAllBytes(a.get())).isEqualTo(content);
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.fileRequests()).isEqualTo(1);
        assertThat(reports).anyMatch(p -> p.phase() == Phase.WAITING);
    }

    @Test
    void verify_fileChangedAfterDownload_isAMismatch() throws Exception {
        server = new ModelFileServer(REPOSITORY, REVISION, FILE, content);
        try (ModelCache cache = cache(true)) {
            Path file = cache.ensureAvailable(stories, reports::add);
            byte[] damaged = content.clone();
            damaged[damaged.length / 2] ^= 1;
            Files.write(file, damaged);

            ModelCache.Verification verification = cache.verify(stories);

            assertThat(verification.status()).isEqualTo(ModelCache.Verification.Status.MISMATCH);
            assertThat(verification.actualSha256()).isNotEqualTo(stories.sha256());
        }
    }

    @Test
    void remove_deletesTheFileAndItsChecksum() throws Exception {
        server = new ModelFileServer(REPOSITORY, REVISION, FILE, content);
        try (ModelCache cache = cache(true)) {
            cache.ensureAvailable(stories, reports::add);

            assertThat(cache.remove(stories)).isTrue();

            assertThat(cache.state(stories)).isEqualTo(ModelCache.State.MISSING);
            assertThat(cache.remove(stories)).isFalse();
            assertThat(cache.verify(stories).status()).isEqualTo(ModelCache.Verification.Status.MISSING);
        }
        assertThat(filesOutsideLocks()).isEmpty();
    }

    @Test
    void remove_bundledModel_isRefused() {
        ModelEntry bundled = ModelRegistry.builtIn().find("all-minilm-l6-v2").orElseThrow();
        try (ModelCache cache = cache(true)) {
            assertThat(cache.state(bundled)).isEqualTo(ModelCache.State.BUNDLED);
            assertThatThrownBy(() -> cache.remove(bundled)).isInstanceOf(ModelFileException.class)
                    .hasMessageContaining("removes only the files it downloads");
        }
    }

    private ModelCache cache(boolean downloadsAllowed) {
        ModelSettings settings = ModelSettings.defaults(cacheDirectory)
                .withBaseUrl(server != null ? server.baseUrl() : java.net.URI.create("http://127.0.0.1:1"))
                .withDownloadsAllowed(downloadsAllowed);
        return new ModelCache(settings, 3, Duration.ofMillis(10));
    }

    private static ModelEntry withSha256(ModelEntry entry, Optional<String> sha256) {
        return new ModelEntry(entry.name(), entry.kind(), entry.size(), entry.source(), sha256, OptionalLong.empty(),
                entry.licence(), entry.architecture(), entry.notes());
    }

    /** Regular files in the cache directory, lock files aside. */
    private List<Path> filesOutsideLocks() throws IOException {
        Path locks = cacheDirectory.resolve(ModelCache.LOCK_DIRECTORY);
        try (Stream<Path> files = Files.walk(cacheDirectory)) {
            return files.filter(Files::isRegularFile).filter(file -> !file.startsWith(locks)).toList();
        }
    }
}
