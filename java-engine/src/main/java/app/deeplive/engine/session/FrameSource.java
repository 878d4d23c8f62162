package app.deeplive.engine.session;

import app.deeplive.engine.live.FrameIntake;

/**
 * Where a session's frames come from and go back to: the shared-memory frame channel in production, an in-memory
 * queue in tests. The session's thread calls {@link #processNext} in a loop; the source lends each frame to the
 * processor and takes it back (processed in place) when the processor returns.
 */
public interface FrameSource extends AutoCloseable {
    /**
     * Waits at most {@code timeoutMillis} for the next frame and, if one arrives, runs {@code processor} on it.
     *
     * @return true if a frame was processed, false on timeout
     * @throws FrameSourceClosedException when the producer is gone or the source was closed
     */
    boolean processNext(FrameProcessor processor, long timeoutMillis) throws InterruptedException;

    /**
     * Frames the producer could not hand over because the engine was behind (since the source opened), or -1 when
     * this source cannot tell.
     */
    long droppedFrames();

    /** Frames waiting to be processed right now, or -1 when this source cannot tell. */
    int queueDepth();

    /** Releases the channel; wakes a thread blocked in {@link #processNext}. Idempotent. */
    @Override
    void close();

    /**
     * This source as an intake that lends several frames at once and takes them back in any thread, for a staged
     * pipeline whose stages overlap consecutive frames; null if it lends one frame at a time only.
     */
    default FrameIntake intake() {
        return null;
    }
}
