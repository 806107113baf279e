package dev.steadytext.backend.llamacpp.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The header of a GGUF file, read in Java: its scalar metadata and the names of its tensors.
 *
 * <p>Why read it ourselves: llama.cpp aborts the whole JVM (GGML_ABORT) when a model without a classification head
 * is loaded for reranking, and no Java exception can catch that. So the reranker backend looks at the file first and
 * refuses, with a message, what llama.cpp would die on.
 *
 * <p>The format (GGUF versions 2 and 3, little-endian): magic {@code GGUF}, version u32, tensor count u64, metadata
 * count u64; each metadata entry a string key, a u32 type and a value; then each tensor's name, dimension count u32,
 * dimensions u64 each, type u32 and offset u64. Strings are a u64 byte length and UTF-8 bytes. Arrays (type 9) are
 * an element type u32, a count u64 and the elements; they are skipped, and only their length kept.
 *
 * @param values scalar metadata: {@link Long} for integers, {@link Double} for floats, {@link Boolean}, {@link String};
 *     arrays as their element count ({@link Long})
 * @param tensors the names of the tensors
 */
record GgufMetadata(Map<String, Object> values, Set<String> tensors) {

    private static final int MAGIC = 0x46554747; // "GGUF", little-endian
    /** Longer strings mean a damaged file, not a model: refuse rather than allocate gigabytes. */
    private static final long MAX_STRING_BYTES = 1 << 24;

    GgufMetadata {
        values = Map.copyOf(values);
        tensors = Set.copyOf(tensors);
    }

    /** Reads the header of {@code file}; the tensor data is not read. */
    static GgufMetadata read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    static GgufMetadata read(InputStream stream, String name) throws IOException {
        Reader in = new Reader(new DataInputStream(new BufferedInputStream(stream, 1 << 16)));
        try {
            if (in.u32() != MAGIC) {
                throw new IOException(name + " is not a GGUF file (it does not start with GGUF)");
            }
            long version = in.u32();
            if (version < 2 || version > 3) {
                throw new IOException(name + " is GGUF version " + version + "; versions 2 and 3 are supported");
            }
            long tensorCount = in.count("tensor count");
            long metadataCount = in.count("metadata count");
            Map<String, Object> values = new HashMap<>();
            for (long i = 0; i < metadataCount; i++) {
                String key = in.string();
                values.put(key, in.value((int) in.u32()));
            }
            Set<String> tensors = new HashSet<>();
            for (long i = 0; i < tensorCount; i++) {
                tensors.add(in.string());
                long dimensions = in.u32();
                in.skip(dimensions * 8 + 4 + 8); // the dimensions, the type, the offset
            }
            return new GgufMetadata(values, tensors);
        } catch (EOFException e) {
            throw new IOException(name + " ends inside its GGUF header; the file is truncated or not a model", e);
        } catch (IllegalStateException e) {
            throw new IOException(name + " has a damaged GGUF header: " + e.getMessage(), e);
        }
    }

    /** The model's architecture ({@code general.architecture}), such as {@code llama}, {@code bert} or {@code qwen3}. */
    String architecture() {
        return values.get("general.architecture") instanceof String architecture ? architecture : "";
    }

    /** An integer metadata value, or -1 when absent or not an integer. */
    long integer(String key) {
        return values.get(key) instanceof Long value ? value : -1;
    }

    /** Little-endian reads of the GGUF primitive types. */
    private record Reader(DataInputStream in) {

        long u32() throws IOException {
            return Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
        }

        long u64() throws IOException {
            return Long.reverseBytes(in.readLong());
        }

        long count(String what) throws IOException {
            long count = u64();
            if (count < 0 || count > 1 << 24) {
                throw new IllegalStateException(what + " " + Long.toUnsignedString(count) + " is not plausible");
            }
            return count;
        }

        String string() throws IOException {
            long length = u64();
            if (length < 0 || length > MAX_STRING_BYTES) {
                throw new IllegalStateException("a string of " + Long.toUnsignedString(length) + " bytes");
            }
            byte[] bytes = new byte[(int) length];
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        Object value(int type) throws IOException {
            return switch (type) {
                case 0 -> (long) in.readUnsignedByte();
                case 1 -> (long) in.readByte();
                case 2 -> (long) Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
                case 3 -> (long) Short.reverseBytes(in.readShort());
                case 4 -> u32();
                case 5 -> (long) Integer.reverseBytes(in.readInt());
                case 6 -> (double) Float.intBitsToFloat(Integer.reverseBytes(in.readInt()));
                case 7 -> in.readByte() != 0;
                case 8 -> string();
                case 9 -> array();
                case 10, 11 -> u64();
                case 12 -> Double.longBitsToDouble(u64());
                default -> throw new IllegalStateException("unknown metadata type " + type);
            };
        }

        /** Skips an array; returns its element count. */
        private Long array() throws IOException {
            int type = (int) u32();
            long count = u64();
            if (count < 0) {
                throw new IllegalStateException("an array of " + Long.toUnsignedString(count) + " elements");
            }
            int size = switch (type) {
                case 0, 1, 7 -> 1;
                case 2, 3 -> 2;
                case 4, 5, 6 -> 4;
                case 10, 11, 12 -> 8;
                default -> 0; // strings and nested arrays: element by element
            };
            if (size > 0) {
                skip(count * size);
            } else {
                for (long i = 0; i < count; i++) {
                    value(type);
                }
            }
            return count;
        }

        void skip(long bytes) throws IOException {
            long left = bytes;
            while (left > 0) {
                int skipped = in.skipBytes((int) Math.min(left, Integer.MAX_VALUE));
                if (skipped <= 0) {
                    throw new EOFException();
                }
                left -= skipped;
            }
        }
    }
}
