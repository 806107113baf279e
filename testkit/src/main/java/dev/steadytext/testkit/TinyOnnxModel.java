package dev.steadytext.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tiny ONNX model with a cross-encoder's inputs and output, written as protobuf by hand (no cross-encoder can be
 * downloaded here): {@code logits[b, 0] = 0.01 * sum_t((input_ids + token_type_ids) * attention_mask)[b, t]}. Its
 * scores are exact to predict, and padding (id 0, mask 0) cannot change them, as in a real cross-encoder.
 */
public final class TinyOnnxModel {

    /** The scale of the logit. */
    public static final float SCALE = 0.01f;

    private TinyOnnxModel() {}

    public static Path write(Path file) throws IOException {
        Proto graph = new Proto()
                .message(1, node("Add", "input_ids", "token_type_ids", "summed"))
                .message(1, node("Mul", "summed", "attention_mask", "masked"))
                .message(1, node("Cast", "masked", null, "as_float").message(5, new Proto().string(1, "to")
                        .varint(3, 1).varint(20, 2)))
                .message(1, node("ReduceSum", "as_float", "axes", "sum").message(5, new Proto().string(1, "keepdims")
                        .varint(3, 1).varint(20, 2)))
                .message(1, node("Mul", "sum", "scale", "logits"))
                .string(2, "tiny-cross-encoder")
                .message(5, tensor("axes", 7, new long[] {1}, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(1).array()))
                .message(5, tensor("scale", 1, new long[] {}, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                        .putFloat(SCALE).array()))
                .message(11, value("input_ids", 7, "batch", "sequence"))
                .message(11, value("attention_mask", 7, "batch", "sequence"))
                .message(11, value("token_type_ids", 7, "batch", "sequence"))
                .message(12, value("logits", 1, "batch", null));
        Proto model = new Proto().varint(1, 8).message(8, new Proto().string(1, "").varint(2, 13)).message(7, graph);
        return Files.write(file, model.bytes());
    }

    private static Proto node(String op, String first, String second, String output) {
        Proto node = new Proto().string(1, first);
        if (second != null) {
            node.string(1, second);
        }
        return node.string(2, output).string(3, op + "_" + output).string(4, op);
    }

    private static Proto tensor(String name, int type, long[] dims, byte[] raw) {
        Proto tensor = new Proto();
        for (long dim : dims) {
            tensor.varint(1, dim);
        }
        return tensor.varint(2, type).string(8, name).bytes(9, raw);
    }

    /** A tensor value: rank 2 with two named dimensions, or a second dimension of 1 when {@code second} is null. */
    private static Proto value(String name, int type, String first, String second) {
        Proto shape = new Proto().message(1, new Proto().string(2, first))
                .message(1, second == null ? new Proto().varint(1, 1) : new Proto().string(2, second));
        Proto tensorType = new Proto().varint(1, type).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    /** Protobuf wire format: varints (type 0) and length-delimited fields (type 2). */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            raw((long) field << 3);
            raw(value);
            return this;
        }

        Proto string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto message) {
            return bytes(field, message.bytes());
        }

        Proto bytes(int field, byte[] value) {
            raw((long) field << 3 | 2);
            raw(value.length);
            out.writeBytes(value);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void raw(long value) {
            long v = value;
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }
}
