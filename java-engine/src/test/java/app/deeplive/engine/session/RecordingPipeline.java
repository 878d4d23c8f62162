package app.deeplive.engine.session;

import app.deeplive.engine.image.FrameView;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A pipeline that records, per frame, the first embedding value of the source face it was given (NaN for none)
 * and marks the frame: when a source face is set it writes that value's byte into the first pixel's blue channel,
 * so a test can see on the frame itself which identity processed it. Frames without a source face stay unchanged.
 */
public final class RecordingPipeline implements FramePipeline {
    public static final List<Float> SEEN = new CopyOnWriteArrayList<>();

    public static final FramePipelineFactory FACTORY = new FramePipelineFactory() {
        @Override
        public FramePipeline create() {
            return new RecordingPipeline();
        }

        @Override
        public String description() {
            return "recording (test)";
        }
    };

    @Override
    public void process(FrameView frame, SessionSettings settings, StageClock clock) {
        long start = System.nanoTime();
        SourceFace face = settings.sourceFace();
        float first = face == null ? Float.NaN : face.embedding().get(0);
        SEEN.add(first);
        if (face != null) {
            frame.pixels().put(0, (byte) Math.round(first * 100));
        }
        clock.record("mark", System.nanoTime() - start);
    }

    @Override
    public void close() {}
}
