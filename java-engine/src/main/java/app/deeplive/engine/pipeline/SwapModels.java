package app.deeplive.engine.pipeline;

import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.analysis.recognize.ArcFaceRecognizer;
import app.deeplive.engine.blend.MouthLandmarks;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.enhance.FaceEnhancer;
import app.deeplive.engine.swap.InSwapper;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The loaded models a {@link FaceSwapPipeline} runs. Models are loaded up front (never in the frame loop); the
 * optional ones (recogniser for mappings, landmarks for the mouth mask, enhancers) may be absent, and settings that
 * need an absent one are skipped with one warning. Closing this closes every model it holds.
 */
public final class SwapModels implements AutoCloseable {
    private final ScrfdDetector detector;
    private final InSwapper swapper;
    private final ArcFaceRecognizer recognizer;
    private final MouthLandmarks landmarks;
    private final Map<EnhancerKind, FaceEnhancer> enhancers;

    public SwapModels(ScrfdDetector detector, InSwapper swapper, ArcFaceRecognizer recognizer, MouthLandmarks landmarks,
            Map<EnhancerKind, FaceEnhancer> enhancers) {
        this.detector = Objects.requireNonNull(detector, "detector");
        this.swapper = Objects.requireNonNull(swapper, "swapper");
        this.recognizer = recognizer;
        this.landmarks = landmarks;
        this.enhancers = enhancers == null || enhancers.isEmpty() ? new EnumMap<>(EnhancerKind.class) : new EnumMap<>(enhancers);
    }

    public ScrfdDetector detector() {
        return detector;
    }

    public InSwapper swapper() {
        return swapper;
    }

    /** The recogniser for face mappings, or null. */
    public ArcFaceRecognizer recognizer() {
        return recognizer;
    }

    /** The 2d106det model for the mouth mask, or null. */
    public MouthLandmarks landmarks() {
        return landmarks;
    }

    /** The loaded enhancer of that kind, or null. */
    public FaceEnhancer enhancer(EnhancerKind kind) {
        return kind == null ? null : enhancers.get(kind);
    }

    @Override
    public void close() {
        enhancers.values().forEach(FaceEnhancer::close);
        if (landmarks != null) {
            landmarks.close();
        }
        if (recognizer != null) {
            recognizer.close();
        }
        swapper.close();
        detector.close();
    }
}
