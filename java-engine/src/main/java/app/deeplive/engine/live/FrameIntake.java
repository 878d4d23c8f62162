package app.deeplive.engine.live;

import app.deeplive.engine.channel.FrameResult;

/**
 * Where a {@link StagedPipeline} takes frames from and gives them back to: the shared-memory frame channel in
 * production, an in-memory source in tests. The pipeline calls {@link #acquire} from its entry thread only and
 * {@link #complete} from its exit thread only, each frame exactly once, in the order acquired except for frames
 * dropped at the entry (which the entry thread completes itself, also in order). An implementation must allow
 * those two threads to call concurrently.
 */
public interface FrameIntake {
    /**
     * Waits up to {@code timeoutNanos} (0: do not wait) for the next frame and describes it in {@code into}
     * ({@link LiveFrame#lend}).
     *
     * @return true if a frame was lent, false if none came in time
     * @throws IntakeClosedException when the producer is gone: the pipeline stops
     */
    boolean acquire(LiveFrame into, long timeoutNanos);

    /** Hands a lent frame back to its producer. */
    void complete(LiveFrame frame, FrameResult outcome);
}
