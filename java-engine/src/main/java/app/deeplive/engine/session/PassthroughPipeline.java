package app.deeplive.engine.session;

import app.deeplive.engine.image.FrameView;

/**
 * What a session runs when no swapper is loaded: frames go back unchanged. That is the correct output without a
 * swap model (the stream shows the real picture, never garbage); get_stats reports it so the user knows why.
 */
public final class PassthroughPipeline implements FramePipeline {
    public static final FramePipelineFactory FACTORY = new FramePipelineFactory() {
        @Override
        public FramePipeline create() {
            return new PassthroughPipeline();
        }

        @Override
        public String description() {
            return "passthrough: no swapper loaded";
        }
    };

    @Override
    public void process(FrameView frame, SessionSettings settings, StageClock clock) {
        // Nothing to do: without a swapper the frame is returned as it came.
    }

    @Override
    public boolean swapsFaces() {
        return false;
    }

    @Override
    public void close() {}
}
