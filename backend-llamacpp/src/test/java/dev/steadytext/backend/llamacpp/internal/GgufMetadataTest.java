package dev.steadytext.backend.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GgufMetadataTest {

    /** Writes GGUF headers, little-endian. */
    private static final class Gguf {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Gguf u32(long value) {
            return bytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array());
        }

        Gguf u64(long value) {
            return bytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        }

        Gguf string(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            return u64(utf8.length).bytes(utf8);
        }

        Gguf bytes(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        /** A tensor info: name, 2 dimensions, type, offset. */
        Gguf tensor(String name) {
            return string(name).u32(2).u64(384).u64(1).u32(0).u64(0);
        }

        GgufMetadata read() throws IOException {
            return GgufMetadata.read(new ByteArrayInputStream(out.toByteArray()), "test.gguf");
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    private static Gguf header(long tensors, long metadata) {
        return new Gguf().bytes("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(3).u64(tensors).u64(metadata);
    }

    /** A small bert reranker: architecture, rank pooling, a vocabulary array, a float; token and head tensors. */
    private static Gguf reranker() {
        return header(2, 4)
                .string("general.architecture").u32(8).string("bert")
                .string("bert.pooling_type").u32(4).u32(4)
                .string("tokenizer.ggml.tokens").u32(9).u32(8).u64(3).string("[CLS]").string("a").string("ü")
                .string("bert.attention.layer_norm_epsilon").u32(6).u32(Float.floatToIntBits(1e-12f))
                .tensor("token_embd.weight").tensor("cls.weight");
    }

    @Test
    void read_givesScalarsArraysAsTheirLengthAndTensorNames() throws IOException {
        GgufMetadata gguf = reranker().read();

        assertThat(gguf.architecture()).isEqualTo("bert");
        assertThat(gguf.integer("bert.pooling_type")).isEqualTo(4);
        assertThat(gguf.values().get("tokenizer.ggml.tokens")).isEqualTo(3L);
        assertThat((Double) gguf.values().get("bert.attention.layer_norm_epsilon")).isEqualTo((double) 1e-12f);
        assertThat(gguf.tensors()).containsExactlyInAnyOrder("token_embd.weight", "cls.weight");
        assertThat(gguf.integer("absent")).isEqualTo(-1);
    }

    @Test
    void read_notGguf_isRefusedWithItsName() {
        Gguf other = new Gguf().bytes("PK\u0003\u0004".getBytes(StandardCharsets.ISO_8859_1)).u64(0);

        assertThatThrownBy(other::read).isInstanceOf(IOException.class).hasMessageContaining("test.gguf is not a GGUF file");
    }

    @Test
    void read_truncatedHeader_isRefused() {
        byte[] whole = reranker().toByteArray();
        Gguf cut = new Gguf().bytes(Arrays.copyOf(whole, whole.length - 20));

        assertThatThrownBy(cut::read).isInstanceOf(IOException.class).hasMessageContaining("truncated");
    }

    @Test
    void read_versionOneOrAnImplausibleCount_isRefused() {
        Gguf v1 = new Gguf().bytes("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(1).u32(0).u32(0);
        Gguf huge = header(0, 1L << 40);

        assertThatThrownBy(v1::read).hasMessageContaining("version 1");
        assertThatThrownBy(huge::read).hasMessageContaining("damaged").hasMessageContaining("metadata count");
    }
}
