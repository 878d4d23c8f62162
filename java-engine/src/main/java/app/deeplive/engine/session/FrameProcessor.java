package app.deeplive.engine.session;

import app.deeplive.engine.image.FrameView;

/** Work done on one frame, in place, while the frame source lends it. */
@FunctionalInterface
public interface FrameProcessor {
    FrameOutcome process(FrameView frame);
}
