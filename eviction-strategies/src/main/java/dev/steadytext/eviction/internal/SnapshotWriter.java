package dev.steadytext.eviction.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a tracker's snapshot in the policies' shared binary layout: a header that names the policy and the format
 * version, then the policy's own fields.
 *
 * <p>The layout is compact because the platform stores one snapshot per cache kind and rewrites it periodically: a
 * platform cache key (64 lower-case hex digits) takes 33 bytes instead of 66, and counts, sizes and times are
 * variable-length integers (most fit in one to three bytes).
 */
final class SnapshotWriter {

    /** The first four bytes of every snapshot, "STev": tells a snapshot from arbitrary bytes. */
    static final int MAGIC = 0x53546576;

    static final int KEY_HEX = 0;
    static final int KEY_TEXT = 1;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    SnapshotWriter(String policyName, int formatVersion) {
        try {
            out.writeInt(MAGIC);
            out.writeUTF(policyName);
            out.writeByte(formatVersion);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream never fails
        }
    }

    SnapshotWriter key(String key) {
        try {
            if (isPlatformKey(key)) {
                out.writeByte(KEY_HEX);
                for (int i = 0; i < key.length(); i += 2) {
                    out.writeByte(Character.digit(key.charAt(i), 16) << 4 | Character.digit(key.charAt(i + 1), 16));
                }
            } else {
                out.writeByte(KEY_TEXT);
                out.writeUTF(key);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A non-negative long in 7-bit groups, least significant first. */
    SnapshotWriter count(long value) {
        if (value < 0) {
            throw new IllegalStateException("negative count in a snapshot: " + value);
        }
        return unsigned(value);
    }

    private SnapshotWriter unsigned(long value) {
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            bytes.write((int) (rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        bytes.write((int) rest);
        return this;
    }

    /** A time in milliseconds, which may be negative in a caller's clock: zig-zag encoded, then as a count. */
    SnapshotWriter time(long millis) {
        return unsigned((millis << 1) ^ (millis >> 63));
    }

    SnapshotWriter number(double value) {
        try {
            out.writeDouble(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    SnapshotWriter flag(boolean value) {
        bytes.write(value ? 1 : 0);
        return this;
    }

    byte[] toByteArray() {
        return bytes.toByteArray();
    }

    /** Whether a key is 64 lower-case hex digits, the platform's SHA-256 cache keys, which pack into 32 bytes. */
    static boolean isPlatformKey(String key) {
        if (key.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = key.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
