package dev.steadytext.backend.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDigestsTest {

    @TempDir
    Path dir;

    @Test
    void of_unchangedFile_isRememberedAcrossInstances() throws Exception {
        Path file = Files.writeString(dir.resolve("model.bin"), "weights");
        FileDigests first = FileDigests.open(dir.resolve("memo.properties"));
        String digest = first.of(file);
        first.save();

        // Same size and times, other content: only a remembered digest can explain the old answer.
        FileTime mtime = Files.getLastModifiedTime(file);
        Files.writeString(file, "WEIGHTS");
        Files.setLastModifiedTime(file, mtime);

        assertThat(digest).isEqualTo(Sha256.of(new ByteArrayInputStream("weights".getBytes(StandardCharsets.UTF_8))));
        assertThat(FileDigests.open(dir.resolve("memo.properties")).of(file)).isEqualTo(digest);
    }

    @Test
    void of_fileWithNewModificationTime_isHashedAgain() throws Exception {
        Path file = Files.writeString(dir.resolve("model.bin"), "weights");
        FileDigests digests = FileDigests.open(dir.resolve("memo.properties"));
        String before = digests.of(file);

        Files.writeString(file, "WEIGHTS");
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2_000));

        assertThat(digests.of(file)).isNotEqualTo(before).isEqualTo(Sha256.of(file));
    }

    @Test
    void ofResource_sameStamp_opensTheResourceOnce_newStamp_again() throws Exception {
        FileDigests digests = FileDigests.open(dir.resolve("memo.properties"));
        AtomicInteger opened = new AtomicInteger();
        FileDigests.ResourceOpener opener = () -> {
            opened.incrementAndGet();
            return new ByteArrayInputStream(new byte[] {1, 2, 3});
        };

        String digest = digests.ofResource("/lib.so", "stamp-1", opener);
        digests.save();
        FileDigests reopened = FileDigests.open(dir.resolve("memo.properties"));

        assertThat(reopened.ofResource("/lib.so", "stamp-1", opener)).isEqualTo(digest);
        assertThat(opened).hasValue(1);
        assertThat(reopened.ofResource("/lib.so", "stamp-2", opener)).isEqualTo(digest);
        assertThat(opened).hasValue(2);
    }

    @Test
    void open_unreadableMemo_startsEmpty() throws Exception {
        Path memo = Files.write(dir.resolve("memo.properties"), new byte[] {'\\', 'u', 'z', 'z', '='});
        Path file = Files.writeString(dir.resolve("model.bin"), "weights");

        assertThat(FileDigests.open(memo).of(file)).isEqualTo(Sha256.of(file));
    }
}
