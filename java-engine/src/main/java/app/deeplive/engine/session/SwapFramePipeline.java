package app.deeplive.engine.session;

import app.deeplive.engine.blend.BlendOptions;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.pipeline.FaceSwapPipeline;
import app.deeplive.engine.pipeline.StageTimings;
import app.deeplive.engine.pipeline.SwapModels;
import app.deeplive.engine.pipeline.SwapSettings;
import app.deeplive.engine.swap.Identity;
import java.util.ArrayList;
import java.util.List;

/**
 * One session's face swap: the session's settings snapshot becomes the swap pipeline's settings (converted only
 * when the snapshot changes, so a steady stream allocates nothing for it), the frame is swapped in place, and the
 * stage times go to the session's stats. It owns the session's model wrappers (closed with it).
 */
final class SwapFramePipeline implements FramePipeline {
    private final SwapModels models;
    private final FaceSwapPipeline pipeline;
    private final SwapSettingsCache settings = new SwapSettingsCache();

    /** Takes ownership of {@code models}, the session's own wrappers (closed at once if this cannot be made). */
    SwapFramePipeline(SwapModels models) {
        this.models = models;
        try {
            this.pipeline = new FaceSwapPipeline(models);
        } catch (RuntimeException | Error e) {
            models.close();
            throw e;
        }
    }

    @Override
    public void process(FrameView frame, SessionSettings settings, StageClock clock) {
        SwapSettings swapSettings = this.settings.of(settings);
        if (!swapSettings.swapsAnything()) {
            return; // no identity yet: the frame passes unchanged, the tracker is not fed
        }
        StageTimings t = pipeline.process(frame, swapSettings, System.nanoTime());
        clock.record("detect", t.detectNanos());
        clock.record("recognise", t.recogniseNanos());
        clock.record("swap", t.swapNanos());
        clock.record("landmarks", t.landmarkNanos());
        clock.record("blend", t.blendNanos());
        clock.record("enhance", t.enhanceNanos());
    }

    static SwapSettings convert(SessionSettings s) {
        SessionOptions o = s.options();
        List<app.deeplive.engine.pipeline.FaceMapping> mappings = new ArrayList<>();
        for (FaceMapping m : o.faceMapping()) {
            mappings.add(new app.deeplive.engine.pipeline.FaceMapping(identity(m.reference()), identity(m.source())));
        }
        BlendOptions blend = new BlendOptions(o.opacity(), o.sharpness(), o.colorCorrection(),
                (int) Math.round(o.mouthMask()));
        return new SwapSettings(s.sourceFace() == null ? null : identity(s.sourceFace()), o.manyFaces(), mappings,
                o.mappingThreshold(), enhancer(o.enhancer()), o.enhancerBlend(), blend, o.detectEvery());
    }

    private static Identity identity(SourceFace face) {
        float[] e = new float[face.embeddingSize()];
        face.embedding().get(e);
        return new Identity(e);
    }

    static EnhancerKind enhancer(Enhancer e) {
        return switch (e) {
            case OFF -> null;
            case GFPGAN -> EnhancerKind.GFPGAN;
            case GPEN256 -> EnhancerKind.GPEN256;
            case GPEN512 -> EnhancerKind.GPEN512;
        };
    }

    @Override
    public void close() {
        pipeline.close();
        models.close(); // the session's wrappers; the loaded models stay open for the engine's other callers
    }
}
