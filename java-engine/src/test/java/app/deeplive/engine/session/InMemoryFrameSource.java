package app.deeplive.engine.session;

import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.image.PixelFormat;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A frame source in memory, standing in for the shared-memory channel: the test {@link #send}s frames and
 * {@link #receive}s them back after the session processed them in place.
 */
public final class InMemoryFrameSource implements FrameSource {
    private final BlockingQueue<FrameView> incoming = new LinkedBlockingQueue<>();
    private final BlockingQueue<FrameView> processed = new LinkedBlockingQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** What the session said about each frame, in order. */
    public final BlockingQueue<FrameOutcome> outcomes = new LinkedBlockingQueue<>();
    private volatile boolean producerGone;
    private volatile long dropped;

    /** A BGRA frame filled with one byte value. */
    public static FrameView frame(int width, int height, int fill) {
        ByteBuffer pixels = ByteBuffer.allocateDirect(width * height * 4);
        for (int i = 0; i < pixels.capacity(); i++) {
            pixels.put(i, (byte) fill);
        }
        return FrameView.wrap(pixels, width, height, width * 4, PixelFormat.BGRA);
    }

    public void send(FrameView frame) {
        incoming.add(frame);
    }

    /** The next processed frame, or null after {@code timeoutMillis}. */
    public FrameView receive(long timeoutMillis) throws InterruptedException {
        return processed.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Makes the source behave like a channel whose producer died. */
    public void hangUp() {
        producerGone = true;
    }

    public void setDropped(long n) {
        dropped = n;
    }

    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public boolean processNext(FrameProcessor processor, long timeoutMillis) throws InterruptedException {
        if (closed.get()) {
            throw new FrameSourceClosedException("closed");
        }
        if (producerGone) {
            throw new FrameSourceClosedException("producer gone");
        }
        FrameView frame = incoming.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (frame == null) {
            return false;
        }
        outcomes.add(processor.process(frame));
        processed.add(frame);
        return true;
    }

    @Override
    public long droppedFrames() {
        return dropped;
    }

    @Override
    public int queueDepth() {
        return incoming.size();
    }

    @Override
    public void close() {
        closed.set(true);
    }
}
