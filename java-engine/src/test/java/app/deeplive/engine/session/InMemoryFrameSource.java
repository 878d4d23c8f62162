package app.deeplive.engine.session;

import app.deeplive.engine.channel.FrameResult;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.image.PixelFormat;
import app.deeplive.engine.live.FrameIntake;
import app.deeplive.engine.live.IntakeClosedException;
import app.deeplive.engine.live.LiveFrame;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A frame source in memory, standing in for the shared-memory channel in front of the session's real staged
 * pipeline: the test {@link #send}s frames and {@link #receive}s them back after the pipeline worked on them in
 * place, and reads what the pipeline said about each one in {@link #outcomes}.
 */
public final class InMemoryFrameSource implements FrameSource, FrameIntake {
    private final BlockingQueue<FrameView> incoming = new LinkedBlockingQueue<>();
    private final BlockingQueue<FrameView> processed = new LinkedBlockingQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** What the pipeline said about each frame, in the order they came back. */
    public final BlockingQueue<FrameResult> outcomes = new LinkedBlockingQueue<>();
    private volatile boolean producerGone;
    private long sequence; // the pipeline's entry thread only

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

    /** The next frame handed back, or null after {@code timeoutMillis}. */
    public FrameView receive(long timeoutMillis) throws InterruptedException {
        return processed.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Makes the source behave like a channel whose producer died. */
    public void hangUp() {
        producerGone = true;
    }

    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public FrameIntake intake() {
        return this;
    }

    @Override
    public boolean acquire(LiveFrame into, long timeoutNanos) {
        if (closed.get() || producerGone) {
            throw new IntakeClosedException(closed.get() ? "closed" : "producer gone");
        }
        FrameView frame;
        try {
            frame = incoming.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (frame == null) {
            return false;
        }
        into.lend(frame, frame.pixels(), ++sequence, System.nanoTime(), 0);
        return true;
    }

    @Override
    public void complete(LiveFrame frame, FrameResult outcome) {
        outcomes.add(outcome); // first, so a test that received the frame finds its outcome
        processed.add(frame.view());
    }

    @Override
    public void close() {
        closed.set(true);
    }
}
