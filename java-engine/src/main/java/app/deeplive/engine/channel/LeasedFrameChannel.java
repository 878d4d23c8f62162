package app.deeplive.engine.channel;

import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.image.PixelFormat;
import java.nio.ByteBuffer;

/**
 * The engine's end of a frame channel for pipelines that hold several frames at once (the staged live pipeline):
 * {@link #acquire} lends a frame, identified by its slot, and {@link #complete} hands it back later, possibly from
 * another thread. One thread acquires; frames may be completed from other threads, concurrently with acquiring and
 * with each other for different slots (in the library, each slot's state word is claimed and released by
 * compare-and-swap; here, each slot has its own native frame record for completion). Per slot, the frame's view is made once and reused while its geometry
 * stays the same, so lending a frame allocates nothing.
 */
public final class LeasedFrameChannel implements AutoCloseable {
    private final ChannelHandle handle;
    private final NativeFrame acquired;
    /** One per slot: frames in different slots may be completed from different threads at once. */
    private final NativeFrame[] completed;
    private final long maxFrameBytes;
    private final FrameView[] views;
    private final ByteBuffer[] pixels;
    private final long[] sequences;
    private final long[] timestamps;
    private ChannelStats finalStats;
    private volatile boolean declareChecksums;

    private LeasedFrameChannel(ChannelHandle handle) {
        this.handle = handle;
        int slots = Shim.dlf_channel_slot_count(handle.pointer());
        this.maxFrameBytes = Shim.dlf_channel_max_frame_bytes(handle.pointer());
        this.acquired = new NativeFrame(slots);
        this.completed = new NativeFrame[slots];
        for (int i = 0; i < slots; i++) {
            completed[i] = new NativeFrame(slots);
            completed[i].slot(i);
        }
        this.views = new FrameView[slots];
        this.pixels = new ByteBuffer[slots];
        this.sequences = new long[slots];
        this.timestamps = new long[slots];
    }

    /**
     * Attaches as the consumer of channel {@code name}.
     *
     * @throws ChannelException if there is no such channel, it is invalid, or another live engine is attached
     */
    public static LeasedFrameChannel attach(String name) {
        // PixelFormat's first use loads OpenCV's native libraries (about a second): pay that before attaching,
        // not on the first frame while the producer's slots fill up.
        PixelFormat.BGRA.cvType();
        return new LeasedFrameChannel(ChannelHandle.open(out -> Shim.dlf_channel_attach(name, out),
                "cannot attach to frame channel " + name));
    }

    /**
     * Also hand each frame back with its checksum (costs a pass over the frame), for producers that verify what the
     * engine returns ({@code dlf-test-producer --verify checksum}).
     */
    public LeasedFrameChannel declareChecksums(boolean declare) {
        this.declareChecksums = declare;
        return this;
    }

    public String name() {
        return handle.name();
    }

    /** Frames the channel holds at once; the pipeline should hold fewer, so the producer always has a slot. */
    public int slotCount() {
        return views.length;
    }

    /**
     * Waits up to {@code timeoutNanos} (0: no wait) for the oldest ready frame and lends it.
     *
     * @return its slot, or −1 if none came in time
     * @throws ChannelException when the channel is over ({@link ChannelStatus#endsChannel()})
     */
    public int acquire(long timeoutNanos) {
        int status = Shim.dlf_consumer_acquire(handle.pointer(), acquired.memory, timeoutNanos);
        if (status == ChannelStatus.TIMEOUT.code()) {
            return -1;
        }
        if (status != 0) { // the message is built only on failure: nothing allocated per frame
            ChannelException.check(status, "frame channel " + handle.name());
        }
        int slot = acquired.slot();
        FrameView view = views[slot];
        int width = acquired.width();
        int height = acquired.height();
        int stride = acquired.stride();
        if (view == null || view.width() != width || view.height() != height || view.stride() != stride) {
            if (view != null) {
                view.close();
            }
            // The library validated the geometry against the slot; FrameView checks it once more.
            view = FrameView.wrap(acquired.slotBuffer(maxFrameBytes), width, height, stride, PixelFormat.BGRA);
            views[slot] = view;
            pixels[slot] = view.pixels();
        }
        sequences[slot] = acquired.sequence();
        timestamps[slot] = acquired.timestampNanos();
        return slot;
    }

    /** The lent frame in {@code slot}, over the shared memory; valid until completed. */
    public FrameView view(int slot) {
        return views[slot];
    }

    /** The lent frame's pixels (position 0, for absolute reads and writes), made once per slot and geometry. */
    public ByteBuffer pixels(int slot) {
        return pixels[slot];
    }

    public long sequence(int slot) {
        return sequences[slot];
    }

    /** The producer's timestamp of the frame in {@code slot}. */
    public long timestampNanos(int slot) {
        return timestamps[slot];
    }

    /** Hands the frame in {@code slot} back with {@code result}. */
    public void complete(int slot, FrameResult result) {
        if (slot < 0 || slot >= completed.length) {
            throw new IllegalArgumentException("no slot " + slot + " in frame channel " + handle.name());
        }
        long checksum = declareChecksums ? FrameChecksum.of(views[slot]) : 0;
        int status = Shim.dlf_consumer_complete(handle.pointer(), completed[slot].memory, result.code(), checksum);
        if (status != 0) {
            ChannelException.check(status, "frame channel " + handle.name());
        }
    }

    public synchronized ChannelStats stats() {
        return handle.isOpen() ? handle.stats() : finalStats;
    }

    /** Detaches and unmaps. Call only once no frame is lent any more (after the pipeline has stopped). */
    @Override
    public synchronized void close() {
        if (handle.isOpen()) {
            finalStats = handle.stats();
            for (FrameView v : views) {
                if (v != null) {
                    v.close();
                }
            }
            handle.close();
        }
    }

}
