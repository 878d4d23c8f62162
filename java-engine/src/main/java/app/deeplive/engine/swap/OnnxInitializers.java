package app.deeplive.engine.swap;

import app.deeplive.engine.UserFacingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads one initializer straight from an ONNX file: ONNX Runtime does not expose initializers, and inswapper keeps
 * its identity projection ("emap") as the graph's last one. A minimal, bounds-checked protobuf walk over the
 * memory-mapped file (ModelProto.graph → GraphProto.initializer → TensorProto); nothing else is decoded.
 */
public final class OnnxInitializers {
    // Field numbers from onnx.proto3.
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_INT32_DATA = 5;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int TENSOR_DATA_LOCATION = 14;
    private static final int TYPE_FLOAT = 1;
    private static final int TYPE_FLOAT16 = 10;

    /** A float initializer: its name, dims and values (fp16 widened to float). */
    public record FloatTensor(String name, long[] dims, float[] values) {}

    private OnnxInitializers() {}

    /**
     * The graph's last initializer as floats.
     *
     * @throws UserFacingException if the file is not a readable ONNX model with a float/float16 last initializer
     */
    public static FloatTensor last(Path onnxFile) {
        ByteBuffer file;
        try (FileChannel channel = FileChannel.open(onnxFile, StandardOpenOption.READ)) {
            if (channel.size() > Integer.MAX_VALUE) {
                throw bad(onnxFile, "larger than 2 GiB");
            }
            file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
        } catch (IOException e) {
            throw new UserFacingException("cannot read model " + onnxFile + ": " + e.getMessage(), e);
        }
        try {
            return last(file);
        } catch (MalformedException e) {
            throw bad(onnxFile, e.getMessage());
        }
    }

    /** The last initializer of a serialized ModelProto held in {@code model} (position 0 to limit). */
    static FloatTensor last(ByteBuffer model) throws MalformedException {
        Reader top = new Reader(model.duplicate().order(ByteOrder.LITTLE_ENDIAN), 0, model.limit());
        Reader graph = null;
        while (top.hasMore()) {
            int tag = top.tag();
            if (tag >>> 3 == MODEL_GRAPH && (tag & 7) == 2) {
                graph = top.message();
            } else {
                top.skip(tag);
            }
        }
        if (graph == null) {
            throw new MalformedException("no graph");
        }
        Reader lastTensor = null;
        while (graph.hasMore()) {
            int tag = graph.tag();
            if (tag >>> 3 == GRAPH_INITIALIZER && (tag & 7) == 2) {
                lastTensor = graph.message();
            } else {
                graph.skip(tag);
            }
        }
        if (lastTensor == null) {
            throw new MalformedException("the graph has no initializers");
        }
        return tensor(lastTensor);
    }

    private static FloatTensor tensor(Reader t) throws MalformedException {
        long[] dims = new long[0];
        int dataType = 0;
        String name = "";
        int rawStart = -1;
        int rawLength = 0;
        FloatList floats = new FloatList();
        IntList int32 = new IntList();
        while (t.hasMore()) {
            int tag = t.tag();
            int field = tag >>> 3;
            int wire = tag & 7;
            if (field == TENSOR_DIMS && wire == 0) {
                dims = append(dims, t.varint());
            } else if (field == TENSOR_DIMS && wire == 2) {
                Reader packed = t.message();
                while (packed.hasMore()) {
                    dims = append(dims, packed.varint());
                }
            } else if (field == TENSOR_DATA_TYPE && wire == 0) {
                dataType = (int) t.varint();
            } else if (field == TENSOR_FLOAT_DATA && wire == 5) {
                floats.add(Float.intBitsToFloat(t.fixed32()));
            } else if (field == TENSOR_FLOAT_DATA && wire == 2) {
                Reader packed = t.message();
                while (packed.hasMore()) {
                    floats.add(Float.intBitsToFloat(packed.fixed32()));
                }
            } else if (field == TENSOR_INT32_DATA && wire == 0) {
                int32.add((int) t.varint());
            } else if (field == TENSOR_INT32_DATA && wire == 2) {
                Reader packed = t.message();
                while (packed.hasMore()) {
                    int32.add((int) packed.varint());
                }
            } else if (field == TENSOR_NAME && wire == 2) {
                name = t.string();
            } else if (field == TENSOR_RAW_DATA && wire == 2) {
                rawLength = t.length();
                rawStart = t.position;
                t.position += rawLength;
            } else if (field == TENSOR_DATA_LOCATION && wire == 0) {
                if (t.varint() != 0) {
                    throw new MalformedException("initializer '" + name + "' is stored in an external file; "
                            + "use the single-file model");
                }
            } else {
                t.skip(tag);
            }
        }
        long count = 1;
        for (long d : dims) {
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new MalformedException("initializer '" + name + "' has an invalid dimension " + d);
            }
            count *= d;
            if (count > Integer.MAX_VALUE) {
                throw new MalformedException("initializer '" + name + "' is too large");
            }
        }
        int n = (int) count;
        float[] values = new float[n];
        if (dataType == TYPE_FLOAT) {
            if (rawStart >= 0) {
                requireLength(name, rawLength, 4L * n);
                t.buffer.slice(rawStart, rawLength).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            } else {
                requireLength(name, floats.size, n);
                System.arraycopy(floats.values, 0, values, 0, n);
            }
        } else if (dataType == TYPE_FLOAT16) {
            if (rawStart >= 0) {
                requireLength(name, rawLength, 2L * n);
                var halves = t.buffer.slice(rawStart, rawLength).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
                for (int i = 0; i < n; i++) {
                    values[i] = Float16.toFloat(halves.get(i));
                }
            } else {
                requireLength(name, int32.size, n); // fp16 bits, one per int32_data entry
                for (int i = 0; i < n; i++) {
                    values[i] = Float16.toFloat((short) int32.values[i]);
                }
            }
        } else {
            throw new MalformedException("initializer '" + name + "' has element type " + dataType
                    + ", expected float or float16");
        }
        return new FloatTensor(name, dims, values);
    }

    private static void requireLength(String name, long actual, long expected) throws MalformedException {
        if (actual != expected) {
            throw new MalformedException("initializer '" + name + "' holds " + actual + " values/bytes, its shape needs "
                    + expected);
        }
    }

    private static long[] append(long[] a, long v) {
        long[] b = java.util.Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    private static UserFacingException bad(Path file, String why) {
        return new UserFacingException("model " + file + " is not a usable ONNX file (" + why
                + "); download it again");
    }

    /** A structural problem in the protobuf bytes. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message);
        }
    }

    /** Reads protobuf wire format within [position, end) of a buffer; every read is bounds-checked. */
    private static final class Reader {
        final ByteBuffer buffer;
        int position;
        final int end;

        Reader(ByteBuffer buffer, int position, int end) {
            this.buffer = buffer;
            this.position = position;
            this.end = end;
        }

        boolean hasMore() {
            return position < end;
        }

        int tag() throws MalformedException {
            long tag = varint();
            if (tag >>> 3 == 0 || tag > Integer.MAX_VALUE) {
                throw new MalformedException("invalid field tag at byte " + position);
            }
            return (int) tag;
        }

        long varint() throws MalformedException {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                require(1);
                byte b = buffer.get(position++);
                result |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return result;
                }
            }
            throw new MalformedException("varint longer than 10 bytes at byte " + position);
        }

        int fixed32() throws MalformedException {
            require(4);
            int v = buffer.getInt(position);
            position += 4;
            return v;
        }

        int length() throws MalformedException {
            long length = varint();
            if (length < 0 || length > end - position) {
                throw new MalformedException("field length " + length + " runs past its message at byte " + position);
            }
            return (int) length;
        }

        Reader message() throws MalformedException {
            int length = length();
            Reader inner = new Reader(buffer, position, position + length);
            position += length;
            return inner;
        }

        String string() throws MalformedException {
            int length = length();
            byte[] bytes = new byte[length];
            buffer.get(position, bytes);
            position += length;
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }

        void skip(int tag) throws MalformedException {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> {
                    require(8);
                    position += 8;
                }
                case 2 -> {
                    int length = length(); // read before moving: length() advances position
                    position += length;
                }
                case 5 -> {
                    require(4);
                    position += 4;
                }
                default -> throw new MalformedException("unsupported wire type " + (tag & 7) + " at byte " + position);
            }
        }

        private void require(int bytes) throws MalformedException {
            if (end - position < bytes) {
                throw new MalformedException("truncated at byte " + position);
            }
        }
    }

    private static final class FloatList {
        float[] values = new float[16];
        int size;

        void add(float v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }

    private static final class IntList {
        int[] values = new int[16];
        int size;

        void add(int v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }
}
