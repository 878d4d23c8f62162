package app.deeplive.engine.pipeline;

import app.deeplive.engine.channel.FrameProcessor;
import app.deeplive.engine.channel.FrameResult;
import app.deeplive.engine.image.FrameView;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The live path's frame processor: each shared-memory frame goes through the face swap pipeline with the settings
 * snapshot current at that moment (the control server replaces it whenever the user changes something).
 */
public final class SwapFrameProcessor implements FrameProcessor {
    private final FaceSwapPipeline pipeline;
    private final Supplier<SwapSettings> settings;
    private volatile StageTimings last = StageTimings.NONE;

    /**
     * @param settings read once per frame, e.g. {@code atomicReference::get}
     */
    public SwapFrameProcessor(FaceSwapPipeline pipeline, Supplier<SwapSettings> settings) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public FrameResult process(FrameView frame) {
        SwapSettings snapshot = settings.get();
        if (snapshot == null || !snapshot.swapsAnything()) {
            return FrameResult.UNCHANGED;
        }
        StageTimings t = pipeline.process(frame, snapshot);
        last = t;
        return t.swapped() > 0 ? FrameResult.PROCESSED : FrameResult.UNCHANGED;
    }

    /** The stage times of the latest frame, for statistics. */
    public StageTimings lastTimings() {
        return last;
    }
}
