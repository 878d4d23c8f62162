package app.deeplive.engine.live;

import app.deeplive.engine.image.FrameView;

/**
 * What a session wants to see of its stream's frames: its size limit, its figures, its end. Every method is called
 * from a pipeline thread and must be quick.
 */
public interface StreamObserver {
    StreamObserver NONE = new StreamObserver() {};

    /** Whether to work on this frame at all (false: it goes back unswapped, faces and all), e.g. a size limit. */
    default boolean admits(FrameView frame) {
        return true;
    }

    /** A step's time on one frame ("detect", "recognise", "swap", "landmarks", "blend", "enhance"). */
    default void stage(String name, long nanos) {}

    /** A frame left the pipeline done at {@code nanoTime}, {@code latencyNanos} after it entered. */
    default void frameDone(long nanoTime, long latencyNanos) {}

    /** The pipeline stopped (once): closed, or the frame source ended. */
    default void ended(String reason) {}
}
