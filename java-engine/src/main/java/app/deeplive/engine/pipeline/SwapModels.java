package app.deeplive.engine.pipeline;

import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.analysis.recognize.ArcFaceRecognizer;
import app.deeplive.engine.blend.FaceOccluder;
import app.deeplive.engine.blend.MouthLandmarks;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.enhance.FaceEnhancer;
import app.deeplive.engine.onnx.ModelWrapper;
import app.deeplive.engine.swap.FaceSwapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

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
    private static final String LANDMARKS = "2d106det"; // the keys of the two single late models
    private static final String OCCLUDER = "occluder";

    private final ScrfdDetector detector;
    private final FaceSwapper swapper;
    private final ArcFaceRecognizer recognizer;
    /** The models these wrappers were made from, where late additions appear; null for the engine's own. */
    private final SwapModels origin;
    // The models that may be added while sessions run, each guarded by this.
    private final Late<EnhancerKind, FaceEnhancer> enhancers = new Late<>();
    private final Late<String, FaceSwapper> swappers = new Late<>(); // by manifest name
    private final Late<String, MouthLandmarks> landmarks = new Late<>();
    private final Late<String, FaceOccluder> occluders = new Late<>();
    private String ownSwapperName; // the manifest name of `swapper`, if it is a manifest model; guarded by this
    private boolean closed; // guarded by this

    /**
     * Models that may be added while sessions run, by key (an enhancer's kind, a swap model's name, or one key for a
     * single model). The engine's own hold the loaded models; another caller's hold wrappers of their own over them,
     * made with it or, for a model added later, on first use. Guarded by the SwapModels that holds it.
     */
    private static final class Late<K, M extends ModelWrapper<M>> {
        final Map<K, M> byKey = new HashMap<>();
    }

    public SwapModels(ScrfdDetector detector, FaceSwapper swapper, ArcFaceRecognizer recognizer, MouthLandmarks landmarks,
            Map<EnhancerKind, FaceEnhancer> enhancers) {
        this(detector, swapper, recognizer, landmarks, enhancers, null);
    }

    /** @param occluder the occlusion model for the occlusion mask, or null */
    public SwapModels(ScrfdDetector detector, FaceSwapper swapper, ArcFaceRecognizer recognizer, MouthLandmarks landmarks,
            Map<EnhancerKind, FaceEnhancer> enhancers, FaceOccluder occluder) {
        this(detector, swapper, recognizer, null);
        if (enhancers != null) {
            this.enhancers.byKey.putAll(enhancers);
        }
        if (landmarks != null) {
            this.landmarks.byKey.put(LANDMARKS, landmarks);
        }
        if (occluder != null) {
            this.occluders.byKey.put(OCCLUDER, occluder);
        }
    }

    private SwapModels(ScrfdDetector detector, FaceSwapper swapper, ArcFaceRecognizer recognizer, SwapModels origin) {
        this.detector = Objects.requireNonNull(detector, "detector");
        this.swapper = Objects.requireNonNull(swapper, "swapper");
        this.recognizer = recognizer;
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
     * The swapper a session chose by its manifest name: the engine's own for null or its own name, else one added by
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
            return late(m -> m.swappers, name);
        }
    }

    /** Records that the engine's own swapper is the manifest's {@code name}: choosing that name chooses it. */
    public synchronized void nameOwnSwapper(String name) {
        ownSwapperName = name;
    }

    private synchronized String ownSwapperName() {
        return ownSwapperName != null || origin == null ? ownSwapperName : origin.ownSwapperName();
    }

    /** The recogniser for face mappings, or null. */
    public ArcFaceRecognizer recognizer() {
        return recognizer;
    }

    /** The occlusion model for the occlusion mask, or null; like {@link #landmarks()}, one loaded later is picked up. */
    public FaceOccluder occluder() {
        return late(m -> m.occluders, OCCLUDER);
    }

    /**
     * The 2d106det model for the mouth mask, or null. Wrappers made by {@link #forAnotherCaller()} pick up one the
     * engine loaded later (a wrapper of their own, made on first use).
     */
    public MouthLandmarks landmarks() {
        return late(m -> m.landmarks, LANDMARKS);
    }

    /** The loaded enhancer of that kind, or null; like {@link #landmarks()}, one loaded later is picked up. */
    public FaceEnhancer enhancer(EnhancerKind kind) {
        return kind == null ? null : late(m -> m.enhancers, kind);
    }

    /**
     * Adds an enhancer loaded while sessions run (fetched on demand); their wrappers use it from their next frame.
     * Takes ownership of {@code enhancer}: it is closed at once if one of that kind is there already.
     *
     * @return whether it was added
     */
    public boolean addEnhancer(EnhancerKind kind, FaceEnhancer enhancer) {
        return add(enhancers, kind, enhancer);
    }

    /** Like {@link #addEnhancer}, for a swap model sessions may choose by its manifest name. */
    public boolean addSwapper(String name, FaceSwapper added) {
        return add(swappers, name, added);
    }

    /** Like {@link #addEnhancer}, for the occlusion mask's model. */
    public boolean addOccluder(FaceOccluder added) {
        return add(occluders, OCCLUDER, added);
    }

    /** Like {@link #addEnhancer}, for the mouth mask's landmark model. */
    public boolean addLandmarks(MouthLandmarks added) {
        return add(landmarks, LANDMARKS, added);
    }

    /**
     * This instance's model of {@code key} in the late models {@code which} selects, picking up a wrapper of its own
     * of one the origin has (added after this was made). The selector is a non-capturing lambda: nothing is
     * allocated per call.
     */
    private synchronized <K, M extends ModelWrapper<M>> M late(Function<SwapModels, Late<K, M>> which, K key) {
        Late<K, M> mine = which.apply(this);
        M m = mine.byKey.get(key);
        if (m == null && origin != null && !closed) {
            m = origin.wrapperFor(which, key);
            if (m != null) {
                mine.byKey.put(key, m);
            }
        }
        return m;
    }

    private synchronized <K, M extends ModelWrapper<M>> M wrapperFor(Function<SwapModels, Late<K, M>> which, K key) {
        M m = which.apply(this).byKey.get(key);
        return m == null || closed ? null : m.forAnotherCaller();
    }

    private <K, M extends ModelWrapper<M>> boolean add(Late<K, M> late, K key, M added) {
        synchronized (this) {
            if (!closed && !late.byKey.containsKey(key)) {
                late.byKey.put(key, added);
                return true;
            }
        }
        added.close();
        return false;
    }

    /**
     * The same models for another caller (a live session): each wrapper's {@code forAnotherCaller()}, sharing the
     * loaded ONNX sessions (nothing is loaded again) with scratch buffers of their own. Closing the result closes
     * those wrappers only; the models stay open until every wrapper over them is closed. Enhancers, landmarks and
     * the occluder get their wrappers now; a chosen swap model, the first time the session chooses it.
     */
    public synchronized SwapModels forAnotherCaller() {
        List<AutoCloseable> made = new ArrayList<>(); // closed again if a later one fails
        try {
            SwapModels other = new SwapModels(made(made, detector.forAnotherCaller()),
                    made(made, swapper.forAnotherCaller()),
                    recognizer == null ? null : made(made, recognizer.forAnotherCaller()), this);
            copy(enhancers, other.enhancers, made);
            copy(landmarks, other.landmarks, made);
            copy(occluders, other.occluders, made);
            return other;
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

    private static <K, M extends ModelWrapper<M>> void copy(Late<K, M> from, Late<K, M> into, List<AutoCloseable> made) {
        for (Map.Entry<K, M> entry : from.byKey.entrySet()) {
            into.byKey.put(entry.getKey(), made(made, entry.getValue().forAnotherCaller()));
        }
    }

    private static <T extends AutoCloseable> T made(List<AutoCloseable> made, T wrapper) {
        made.add(wrapper);
        return wrapper;
    }

    /** Closes every wrapper, each once a call in flight on it is done (a wrapper's calls and close take turns). */
    @Override
    public void close() {
        List<ModelWrapper<?>> late = new ArrayList<>();
        synchronized (this) { // no late model is added or picked up from here on
            closed = true;
            late.addAll(enhancers.byKey.values());
            late.addAll(swappers.byKey.values());
            late.addAll(landmarks.byKey.values());
            late.addAll(occluders.byKey.values());
        }
        // Outside the lock: each close may wait for a call in flight on its wrapper.
        late.forEach(ModelWrapper::close);
        if (recognizer != null) {
            recognizer.close();
        }
        swapper.close();
        detector.close();
    }
}
