package app.deeplive.engine.pipeline;

import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.analysis.recognize.ArcFaceRecognizer;
import app.deeplive.engine.blend.FaceOccluder;
import app.deeplive.engine.blend.MouthLandmarks;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.enhance.FaceEnhancer;
import app.deeplive.engine.swap.FaceSwapper;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The loaded models a {@link FaceSwapPipeline} runs. Models are loaded up front (never in the frame loop); the
 * optional ones (recogniser for mappings, landmarks for the mouth mask, enhancers) may be absent, and settings that
 * need an absent one are skipped with one warning. An enhancer, landmark or swap model fetched while the engine
 * serves is added to the engine's models later, and every wrapper made from them picks it up on its next use.
 * Closing this closes every model wrapper it holds. Each wrapper
 * keeps scratch buffers and serves one caller at a time; {@link #forAnotherCaller()} gives another stream wrappers of
 * its own over the same loaded models, so streams run the models at the same time instead of taking turns.
 */
public final class SwapModels implements AutoCloseable {
    private final ScrfdDetector detector;
    private final FaceSwapper swapper;
    private final ArcFaceRecognizer recognizer;
    private FaceOccluder occluder; // guarded by this: added late (see addOccluder)
    /** The models these wrappers were made from, where late additions appear; null for the engine's own. */
    private final SwapModels origin;
    private MouthLandmarks landmarks; // guarded by this: added late (see addLandmarks)
    private final Map<EnhancerKind, FaceEnhancer> enhancers; // guarded by this: added late (see addEnhancer)
    private final Map<String, FaceSwapper> swappers = new HashMap<>(); // by manifest name; guarded by this (addSwapper)
    private String ownSwapperName; // the manifest name of `swapper`, if it is a manifest model; guarded by this
    private boolean closed; // guarded by this

    public SwapModels(ScrfdDetector detector, FaceSwapper swapper, ArcFaceRecognizer recognizer, MouthLandmarks landmarks,
            Map<EnhancerKind, FaceEnhancer> enhancers) {
        this(detector, swapper, recognizer, landmarks, enhancers, null, null);
    }

    /** @param occluder the occlusion model for the occlusion mask, or null */
    public SwapModels(ScrfdDetector detector, FaceSwapper swapper, ArcFaceRecognizer recognizer, MouthLandmarks landmarks,
            Map<EnhancerKind, FaceEnhancer> enhancers, FaceOccluder occluder) {
        this(detector, swapper, recognizer, landmarks, enhancers, occluder, null);
    }

    private SwapModels(ScrfdDetector detector, FaceSwapper swapper, ArcFaceRecognizer recognizer, MouthLandmarks landmarks,
            Map<EnhancerKind, FaceEnhancer> enhancers, FaceOccluder occluder, SwapModels origin) {
        this.detector = Objects.requireNonNull(detector, "detector");
        this.swapper = Objects.requireNonNull(swapper, "swapper");
        this.recognizer = recognizer;
        this.occluder = occluder;
        this.landmarks = landmarks;
        this.enhancers = enhancers == null || enhancers.isEmpty() ? new EnumMap<>(EnhancerKind.class) : new EnumMap<>(enhancers);
        this.origin = origin;
    }

    public ScrfdDetector detector() {
        return detector;
    }

    /** The engine's own swapper ({@code serve --swapper FILE}, else the manifest's default). */
    public FaceSwapper swapper() {
        return swapper;
    }

    /**
     * The swapper a session chose by its manifest name: the engine's own for null, else one added by
     * {@link #addSwapper} (picked up like {@link #enhancer}), or null while there is none of that name.
     */
    public FaceSwapper swapper(String name) {
        if (name == null) {
            return swapper;
        }
        synchronized (this) {
            if (name.equals(ownSwapperName())) {
                return swapper; // the same model: no second wrapper, and the session's latents stay
            }
            FaceSwapper s = swappers.get(name);
            if (s == null && origin != null && !closed) {
                s = origin.swapperForAnotherCaller(name);
                if (s != null) {
                    swappers.put(name, s);
                }
            }
            return s;
        }
    }

    /**
     * Adds a swapper sessions may choose by name (loaded on demand, or the engine's own under its manifest name);
     * takes ownership of it: it is closed at once if one of that name is there already.
     *
     * @return whether it was added
     */
    public boolean addSwapper(String name, FaceSwapper added) {
        synchronized (this) {
            if (!closed && !swappers.containsKey(name)) {
                swappers.put(name, added);
                return true;
            }
        }
        added.close();
        return false;
    }

    /** Records that the engine's own swapper is the manifest's {@code name}: choosing that name chooses it. */
    public synchronized void nameOwnSwapper(String name) {
        ownSwapperName = name;
    }

    private synchronized String ownSwapperName() {
        return ownSwapperName != null || origin == null ? ownSwapperName : origin.ownSwapperName();
    }

    private synchronized FaceSwapper swapperForAnotherCaller(String name) {
        FaceSwapper s = swappers.get(name);
        return s == null || closed ? null : s.forAnotherCaller();
    }

    /** The recogniser for face mappings, or null. */
    public ArcFaceRecognizer recognizer() {
        return recognizer;
    }

    /** The occlusion model for the occlusion mask, or null. */
    public synchronized FaceOccluder occluder() {
        if (occluder == null && origin != null && !closed) {
            occluder = origin.occluderForAnotherCaller();
        }
        return occluder;
    }

    /**
     * The 2d106det model for the mouth mask, or null. Wrappers made by {@link #forAnotherCaller()} pick up one the
     * engine loaded later (a wrapper of their own, made on first use).
     */
    public synchronized MouthLandmarks landmarks() {
        if (landmarks == null && origin != null && !closed) {
            landmarks = origin.landmarksForAnotherCaller();
        }
        return landmarks;
    }

    /** The loaded enhancer of that kind, or null; like {@link #landmarks()}, one loaded later is picked up. */
    public FaceEnhancer enhancer(EnhancerKind kind) {
        if (kind == null) {
            return null;
        }
        synchronized (this) {
            FaceEnhancer e = enhancers.get(kind);
            if (e == null && origin != null && !closed) {
                e = origin.enhancerForAnotherCaller(kind);
                if (e != null) {
                    enhancers.put(kind, e);
                }
            }
            return e;
        }
    }

    private synchronized FaceOccluder occluderForAnotherCaller() {
        return occluder == null || closed ? null : occluder.forAnotherCaller();
    }

    private synchronized MouthLandmarks landmarksForAnotherCaller() {
        return landmarks == null || closed ? null : landmarks.forAnotherCaller();
    }

    private synchronized FaceEnhancer enhancerForAnotherCaller(EnhancerKind kind) {
        FaceEnhancer e = enhancers.get(kind);
        return e == null || closed ? null : e.forAnotherCaller();
    }

    /**
     * Adds an enhancer loaded while sessions run (fetched on demand); their wrappers use it from their next frame.
     * Takes ownership of {@code enhancer}: it is closed at once if one of that kind is there already.
     *
     * @return whether it was added
     */
    public boolean addEnhancer(EnhancerKind kind, FaceEnhancer enhancer) {
        synchronized (this) {
            if (!closed && !enhancers.containsKey(kind)) {
                enhancers.put(kind, enhancer);
                return true;
            }
        }
        enhancer.close();
        return false;
    }

    /** Like {@link #addEnhancer}, for the occlusion mask's model. */
    public boolean addOccluder(FaceOccluder added) {
        synchronized (this) {
            if (!closed && occluder == null) {
                occluder = added;
                return true;
            }
        }
        added.close();
        return false;
    }

    /** Like {@link #addEnhancer}, for the mouth mask's landmark model. */
    public boolean addLandmarks(MouthLandmarks added) {
        synchronized (this) {
            if (!closed && landmarks == null) {
                landmarks = added;
                return true;
            }
        }
        added.close();
        return false;
    }

    /**
     * The same models for another caller (a live session): each wrapper's {@code forAnotherCaller()}, sharing the
     * loaded ONNX sessions (nothing is loaded again) with scratch buffers of their own. Closing the result closes
     * those wrappers only; the models stay open until every wrapper over them is closed.
     */
    public synchronized SwapModels forAnotherCaller() {
        List<AutoCloseable> made = new ArrayList<>(); // closed again if a later one fails
        try {
            ScrfdDetector d = made(made, detector.forAnotherCaller());
            FaceSwapper s = made(made, swapper.forAnotherCaller());
            ArcFaceRecognizer r = recognizer == null ? null : made(made, recognizer.forAnotherCaller());
            MouthLandmarks l = landmarks == null ? null : made(made, landmarks.forAnotherCaller());
            FaceOccluder o = occluder == null ? null : made(made, occluder.forAnotherCaller());
            Map<EnhancerKind, FaceEnhancer> e = new EnumMap<>(EnhancerKind.class);
            for (Map.Entry<EnhancerKind, FaceEnhancer> entry : enhancers.entrySet()) {
                e.put(entry.getKey(), made(made, entry.getValue().forAnotherCaller()));
            }
            return new SwapModels(d, s, r, l, e, o, this);
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
        List<FaceEnhancer> enhancing;
        List<FaceSwapper> chosen;
        MouthLandmarks mouth;
        FaceOccluder occluding;
        synchronized (this) { // no late model is added or picked up from here on
            closed = true;
            occluding = occluder;
            enhancing = List.copyOf(enhancers.values());
            chosen = List.copyOf(swappers.values());
            mouth = landmarks;
        }
        // Outside the lock: each close may wait for a call in flight on its wrapper.
        enhancing.forEach(FaceEnhancer::close);
        chosen.forEach(FaceSwapper::close);
        if (mouth != null) {
            mouth.close();
        }
        if (recognizer != null) {
            recognizer.close();
        }
        if (occluding != null) {
            occluding.close();
        }
        swapper.close();
        detector.close();
    }
}
