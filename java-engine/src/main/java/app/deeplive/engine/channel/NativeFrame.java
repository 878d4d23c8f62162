package app.deeplive.engine.channel;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * A native {@code dlf_frame} (64 bytes) one handle reuses for every call, read and written at the offsets the C
 * header fixes (checked there by _Static_assert). Not thread-safe: it belongs to the one thread using its handle.
 */
final class NativeFrame {
    private static final int DATA = 0;
    private static final int CAPACITY = 8;
    private static final int SEQUENCE = 16;
    private static final int TIMESTAMP = 24;
    private static final int CHECKSUM = 32;
    private static final int SLOT = 40;
    private static final int WIDTH = 44;
    private static final int HEIGHT = 48;
    private static final int STRIDE = 52;
    private static final int FORMAT = 56;
    private static final int RESULT = 60;
    static final int SIZE = 64;

    /** dlf_pixel_format's BGRA. */
    static final int FORMAT_BGRA = 1;

    final Memory memory = new Memory(SIZE);

    private final ByteBuffer[] slotBuffers;

    NativeFrame(int slotCount) {
        slotBuffers = new ByteBuffer[slotCount];
    }

    /** The whole slot the frame lies in, as a direct buffer over the shared memory (made once per slot). */
    ByteBuffer slotBuffer(long capacity) {
        int slot = slot();
        ByteBuffer buffer = slotBuffers[slot];
        if (buffer == null) {
            buffer = memory.getPointer(DATA).getByteBuffer(0, capacity);
            slotBuffers[slot] = buffer;
        }
        return buffer;
    }

    Pointer data() {
        return memory.getPointer(DATA);
    }

    long sequence() {
        return memory.getLong(SEQUENCE);
    }

    long timestampNanos() {
        return memory.getLong(TIMESTAMP);
    }

    long checksum() {
        return memory.getLong(CHECKSUM);
    }

    int slot() {
        return memory.getInt(SLOT);
    }

    int width() {
        return memory.getInt(WIDTH);
    }

    int height() {
        return memory.getInt(HEIGHT);
    }

    int stride() {
        return memory.getInt(STRIDE);
    }

    int format() {
        return memory.getInt(FORMAT);
    }

    int result() {
        return memory.getInt(RESULT);
    }

    void slot(int slot) {
        memory.setInt(SLOT, slot);
    }

    void describe(int width, int height, int stride, long timestampNanos, long checksum) {
        memory.setInt(WIDTH, width);
        memory.setInt(HEIGHT, height);
        memory.setInt(STRIDE, stride);
        memory.setInt(FORMAT, FORMAT_BGRA);
        memory.setLong(TIMESTAMP, timestampNanos);
        memory.setLong(CHECKSUM, checksum);
    }
}
