package app.deeplive.engine.channel;

import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.image.PixelFormat;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's end of a frame channel: attached by the name the producer (OBS plugin) created, it hands each
 * frame to a {@link FrameProcessor} as a {@link FrameView} over the shared memory itself (no copy) and marks it
 * done. The native library keeps the heartbeat; a producer that closes or dies ends the channel
 * ({@link ChannelStatus#PEER_GONE}). One thread processes at a time; {@link #stats()} and {@link #close()} may come from any thread.
 * To run a channel on its own thread, use {@link FrameChannelWorker}.
 */
public final class FrameChannel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FrameChannel.class);

    private final ChannelHandle handle;
    private final NativeFrame frame;
    private final long maxFrameBytes;
    /** Names the channel in errors; made once, not per frame. */
    private final String label;
    private volatile boolean declareChecksums;
    private ChannelStats finalStats;
    /** Guards the native handle; fair, so close() and stats() from other threads get their turn between frames. */
    private final ReentrantLock lock = new ReentrantLock(true);

    private FrameChannel(ChannelHandle handle) {
        this.handle = handle;
        this.maxFrameBytes = Shim.dlf_channel_max_frame_bytes(handle.pointer());
        this.label = "frame channel " + handle.name();
        this.frame = new NativeFrame(Shim.dlf_channel_slot_count(handle.pointer()));
    }

    /**
     * Attaches as the consumer of channel {@code name} ("/dlf-&lt;pid&gt;-&lt;hex&gt;").
     *
     * @throws ChannelException if there is no such channel, it is invalid, or another live engine is attached
     */
    public static FrameChannel attach(String name) {
        // PixelFormat's first use loads OpenCV's native libraries (about a second): pay that before attaching,
        // not on the first frame while the producer's slots fill up.
        PixelFormat.BGRA.cvType();
        ChannelHandle handle = ChannelHandle.open(out -> Shim.dlf_channel_attach(name, out),
                "cannot attach to frame channel " + name);
        return new FrameChannel(handle);
    }

    public String name() {
        return handle.name();
    }

    /** Also hand each processed frame back with its checksum (costs a pass over the frame), for producers that
     * verify what the engine returns ({@code dlf-test-producer --verify checksum}). */
    public FrameChannel declareChecksums(boolean declare) {
        this.declareChecksums = declare;
        return this;
    }

    /**
     * Waits up to {@code timeout} for the next frame, processes it in place and hands it back.
     *
     * @return true if a frame was processed, false if none came in time
     * @throws ChannelException when the channel is over ({@link ChannelStatus#endsChannel()}): close this handle
     */
    public boolean processNext(FrameProcessor processor, Duration timeout) {
        lock.lock();
        try {
            return processLocked(processor, timeout);
        } finally {
            lock.unlock();
        }
    }

    private boolean processLocked(FrameProcessor processor, Duration timeout) {
        var channel = handle.pointer();
        int status = Shim.dlf_consumer_acquire(channel, frame.memory, timeout.toNanos());
        if (status == ChannelStatus.TIMEOUT.code()) {
            return false;
        }
        ChannelException.check(status, label);
        FrameResult result;
        long checksum = 0;
        // The library validated the geometry against the slot; FrameView checks it once more on the Java side.
        try (FrameView view = FrameView.wrap(frame.slotBuffer(maxFrameBytes), frame.width(), frame.height(),
                frame.stride(), PixelFormat.BGRA)) {
            result = run(processor, view);
            if (declareChecksums) {
                checksum = FrameChecksum.of(view);
            }
        }
        ChannelException.check(Shim.dlf_consumer_complete(channel, frame.memory, result.code(), checksum),
                label);
        return true;
    }

    private FrameResult run(FrameProcessor processor, FrameView view) {
        try {
            FrameResult result = processor.process(view);
            return result == null || result == FrameResult.NONE || result == FrameResult.REJECTED
                    ? FrameResult.FAILED
                    : result;
        } catch (Exception e) {
            log.warn("frame {} on {} failed: {}", frame.sequence(), handle.name(), e.toString());
            return FrameResult.FAILED;
        }
    }

    /** This handle's counters; after close, the last ones. */
    public ChannelStats stats() {
        lock.lock();
        try {
            return handle.isOpen() ? handle.stats() : finalStats;
        } finally {
            lock.unlock();
        }
    }

    /** Detaches and unmaps; waits for a frame being processed (or awaited) to finish first. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (handle.isOpen()) {
                finalStats = handle.stats();
                handle.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
