package app.deeplive.engine.channel;

import app.deeplive.engine.image.FrameView;

/**
 * Processes one frame in place. The view lies over the shared memory and is valid only during the call: keep no
 * reference to it, its buffer or its Mat. An exception marks the frame {@link FrameResult#FAILED} and the channel
 * goes on with the next.
 */
@FunctionalInterface
public interface FrameProcessor {
    FrameResult process(FrameView frame) throws Exception;
}
