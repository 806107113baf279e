package dev.steadytext.models.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerChecksumTest {

    private static final String SHA = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";

    @Test
    void sha256_quotedEntityTag_isLowercaseHex() {
        assertThat(ServerChecksum.sha256("\"" + SHA.toUpperCase() + "\"")).contains(SHA);
    }

    @Test
    void sha256_weakEntityTag_isAccepted() {
        assertThat(ServerChecksum.sha256("W/\"" + SHA + "\"")).contains(SHA);
    }

    @Test
    void sha256_gitBlobSha1OrMd5_isNoChecksum() {
        assertThat(ServerChecksum.sha256("\"0123456789abcdef0123456789abcdef01234567\"")).isEmpty();
        assertThat(ServerChecksum.sha256("\"9e107d9d372bb6826bd81d3542a419d6\"")).isEmpty();
        assertThat(ServerChecksum.sha256("\"" + SHA.substring(1) + "x\"")).isEmpty();
    }
}
