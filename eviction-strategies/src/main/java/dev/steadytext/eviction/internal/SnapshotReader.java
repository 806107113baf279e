package dev.steadytext.eviction.internal;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Objects;

/**
 * Reads what {@link SnapshotWriter} wrote, turning every malformation into the {@link IllegalArgumentException} that
 * {@code EvictionPolicy.restore} promises, so the platform can fall back to a new tracker.
 */
final class SnapshotReader {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final ByteArrayInputStream bytes;
    private final DataInputStream in;

    /** Checks the header: the snapshot must be this policy's, in the given format version. */
    SnapshotReader(byte[] snapshot, String policyName, int formatVersion) {
        Objects.requireNonNull(snapshot, "snapshot");
        bytes = new ByteArrayInputStream(snapshot);
        in = new DataInputStream(bytes);
        try {
            if (in.readInt() != SnapshotWriter.MAGIC) {
                throw new IllegalArgumentException("snapshot is not an eviction tracker snapshot");
            }
            String name = in.readUTF();
            if (!name.equals(policyName)) {
                throw new IllegalArgumentException(
                        "snapshot belongs to policy '" + name + "', not '" + policyName + "'");
            }
            int version = in.readUnsignedByte();
            if (version != formatVersion) {
                throw new IllegalArgumentException("snapshot format version " + version + " of policy '" + policyName
                        + "' is not supported (expected " + formatVersion + ")");
            }
        } catch (IOException e) {
            throw truncated(e);
        }
    }

    String key() {
        try {
            int kind = in.readUnsignedByte();
            if (kind == SnapshotWriter.KEY_HEX) {
                char[] key = new char[64];
                for (int i = 0; i < 64; i += 2) {
                    int b = in.readUnsignedByte();
                    key[i] = HEX[b >>> 4];
                    key[i + 1] = HEX[b & 0xF];
                }
                return new String(key);
            }
            if (kind == SnapshotWriter.KEY_TEXT) {
                return in.readUTF();
            }
            throw new IllegalArgumentException("snapshot is corrupt: unknown key encoding " + kind);
        } catch (IOException e) {
            throw truncated(e);
        }
    }

    long count() {
        long value = unsigned();
        if (value < 0) {
            throw new IllegalArgumentException("snapshot is corrupt: a count is out of range");
        }
        return value;
    }

    long time() {
        long zigzag = unsigned();
        return (zigzag >>> 1) ^ -(zigzag & 1);
    }

    private long unsigned() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = bytes.read();
            if (b < 0) {
                throw truncated(null);
            }
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("snapshot is corrupt: a number is longer than 64 bits");
    }

    /** A count that sizes a collection: at most one item per remaining byte, so garbage cannot exhaust memory. */
    int itemCount() {
        long n = count();
        if (n > bytes.available()) {
            throw new IllegalArgumentException("snapshot is corrupt: " + n + " items in " + bytes.available() + " bytes");
        }
        return (int) n;
    }

    double number() {
        try {
            double value = in.readDouble();
            if (Double.isNaN(value)) {
                throw new IllegalArgumentException("snapshot is corrupt: NaN");
            }
            return value;
        } catch (IOException e) {
            throw truncated(e);
        }
    }

    boolean flag() {
        int b = bytes.read();
        if (b < 0) {
            throw truncated(null);
        }
        if (b > 1) {
            throw new IllegalArgumentException("snapshot is corrupt: flag " + b);
        }
        return b == 1;
    }

    /** Ends reading: left-over bytes mean the snapshot is not what it claims to be. */
    void end() {
        if (bytes.available() > 0) {
            throw new IllegalArgumentException("snapshot is corrupt: " + bytes.available() + " bytes left over");
        }
    }

    private static IllegalArgumentException truncated(IOException cause) {
        return new IllegalArgumentException("snapshot is truncated", cause);
    }
}
