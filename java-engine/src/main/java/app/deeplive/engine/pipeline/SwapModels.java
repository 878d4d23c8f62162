package app.deeplive.engine.pipeline;

import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.analysis.recognize.ArcFaceRecognizer;
import app.deeplive.engine.blend.MouthLandmarks;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.enhance.FaceEnhancer;
import app.deeplive.engine.swap.InSwapper;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The loaded models a {@link FaceSwapPipeline} runs. Models are loaded up front (never in the frame loop); the
 * optional ones (recogniser for mappings, landmarks for the mouth mask, enhancers) may be absent, and settings that
 * need an absent one are skipped with one warning. Closing this closes every model wrapper it holds. Each wrapper
 * keeps scratch buffers and serves one caller at a time; {@link #forAnotherCaller()} gives another stream wrappers of
 * its own over the same loaded models, so streams run the models at the same time instead of taking turns.
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

    /**
     * The same models for another caller (a live session): each wrapper's {@code forAnotherCaller()}, sharing the
     * loaded ONNX sessions (nothing is loaded again) with scratch buffers of their own. Closing the result closes
     * those wrappers only; the models stay open until every wrapper over them is closed.
     */
    public SwapModels forAnotherCaller() {
        List<AutoCloseable> made = new ArrayList<>(); // closed again if a later one fails
        try {
            ScrfdDetector d = made(made, detector.forAnotherCaller());
            InSwapper s = made(made, swapper.forAnotherCaller());
            ArcFaceRecognizer r = recognizer == null ? null : made(made, recognizer.forAnotherCaller());
            MouthLandmarks l = landmarks == null ? null : made(made, landmarks.forAnotherCaller());
            Map<EnhancerKind, FaceEnhancer> e = new EnumMap<>(EnhancerKind.class);
            for (Map.Entry<EnhancerKind, FaceEnhancer> entry : enhancers.entrySet()) {
                e.put(entry.getKey(), made(made, entry.getValue().forAnotherCaller()));
            }
            return new SwapModels(d, s, r, l, e);
        } catch (RuntimeException | Error e) {
            for (AutoCloseable m : made) {
                try {
                    m.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static <T extends AutoCloseable> T made(List<AutoCloseable> made, T wrapper) {
        made.add(wrapper);
        return wrapper;
    }

    /** Closes every wrapper, each once a call in flight on it is done (a wrapper's calls and close take turns). */
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
