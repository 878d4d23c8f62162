package app.deeplive.engine.channel;

import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.image.PixelFormat;
import com.sun.jna.Memory;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The producer's end of a frame channel, in Java: what the OBS plugin does in C, for benchmarks and tests that
 * play producer in-process. Creates the channel; {@link #name()} is what a consumer attaches to. Per frame:
 * {@link #begin} a slot, write its pixels, {@link #submit}; later {@link #receive} the result and
 * {@link #release} it. One thread at a time.
 */
public final class ProducerChannel implements AutoCloseable {
    private final ChannelHandle handle;
    private final NativeFrame frame;
    private final long maxFrameBytes;
    /** Names the channel in errors; made once, not per frame. */
    private final String label;

    private ProducerChannel(ChannelHandle handle) {
        this.handle = handle;
        this.maxFrameBytes = Shim.dlf_channel_max_frame_bytes(handle.pointer());
        this.label = "frame channel " + handle.name();
        this.frame = new NativeFrame(Shim.dlf_channel_slot_count(handle.pointer()));
    }

    /**
     * Creates a channel of {@code slotCount} slots (0 for the default, 3) of {@code maxFrameBytes} each.
     *
     * @throws ChannelException if the sizes are out of range or the shared memory cannot be created
     */
    public static ProducerChannel create(int slotCount, long maxFrameBytes) {
        Shim.load();
        try (Memory params = new Memory(16)) {
            params.setInt(0, slotCount);
            params.setInt(4, 0);
            params.setLong(8, maxFrameBytes);
            ChannelHandle handle = ChannelHandle.open(out -> Shim.dlf_channel_create(params, out),
                    "cannot create a frame channel of " + maxFrameBytes + " bytes per frame");
            return new ProducerChannel(handle);
        }
    }

    public String name() {
        return handle.name();
    }

    public long maxFrameBytes() {
        return maxFrameBytes;
    }

    /** True while a consumer with a fresh heartbeat is attached. */
    public boolean hasConsumer() {
        return Shim.dlf_producer_has_consumer(handle.pointer()) != 0;
    }

    /** A slot being written; valid until submitted. */
    public record Slot(int index, ByteBuffer pixels) {}

    /**
     * Takes a slot to write the next frame into, waiting up to {@code timeout} for one.
     *
     * @return the slot (its {@code pixels} buffer, position 0, lies over the shared memory), or null when none was
     *     free in time: the frame counts as dropped
     */
    public Slot begin(Duration timeout) {
        int status = Shim.dlf_producer_begin(handle.pointer(), frame.memory, timeout.toNanos());
        if (status == ChannelStatus.NO_SLOT.code()) {
            return null;
        }
        ChannelException.check(status, label);
        return new Slot(frame.slot(), frame.slotBuffer(maxFrameBytes).duplicate().clear());
    }

    /**
     * Publishes a BGRA frame written into {@code slot}.
     *
     * @param checksum {@link FrameChecksum} of the pixels, or 0 for none
     * @return the frame's sequence number
     */
    public long submit(Slot slot, int width, int height, int stride, long timestampNanos, long checksum) {
        frame.slot(slot.index());
        frame.describe(width, height, stride, timestampNanos, checksum);
        int status = Shim.dlf_producer_submit(handle.pointer(), frame.memory);
        if (status != 0) {
            throw ChannelException.failure(status, label + ": frame " + width + "x" + height + " stride " + stride);
        }
        return frame.sequence();
    }

    /** A processed frame back from the consumer; its view is valid until released. */
    public record Returned(int slot, long sequence, long timestampNanos, FrameResult result, long checksum,
            FrameView view) {}

    /** Waits up to {@code timeout} for the oldest processed frame; null if none came. */
    public Returned receive(Duration timeout) {
        int status = Shim.dlf_producer_receive(handle.pointer(), frame.memory, timeout.toNanos());
        if (status == ChannelStatus.TIMEOUT.code()) {
            return null;
        }
        ChannelException.check(status, label);
        FrameView view = FrameView.wrap(frame.slotBuffer(maxFrameBytes), frame.width(), frame.height(),
                frame.stride(), PixelFormat.BGRA);
        return new Returned(frame.slot(), frame.sequence(), frame.timestampNanos(), FrameResult.of(frame.result()),
                frame.checksum(), view);
    }

    /** Gives a received frame's slot back for new frames. */
    public void release(Returned returned) {
        returned.view().close();
        frame.slot(returned.slot());
        ChannelException.check(Shim.dlf_producer_release(handle.pointer(), frame.memory),
                label);
    }

    public ChannelStats stats() {
        return handle.stats();
    }

    /** Unlinks the channel's name and unmaps it; the consumer sees the channel end. */
    @Override
    public void close() {
        handle.close();
    }
}
