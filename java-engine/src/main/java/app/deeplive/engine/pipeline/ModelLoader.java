package app.deeplive.engine.pipeline;

import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.analysis.recognize.ArcFaceRecognizer;
import app.deeplive.engine.blend.FaceOccluder;
import app.deeplive.engine.blend.MouthLandmarks;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.enhance.FaceEnhancer;
import app.deeplive.engine.models.ModelFiles;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.swap.FaceSwapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the engine's models, the one way {@code serve}, {@code swap}, {@code analyze} and the benches do. Each role
 * takes the file the user gave (their choice: loaded as is, without the manifest's hash check), else the manifest's
 * model, checked against its pinned hash.
 *
 * <p>What a model that does not load means depends on the caller:
 * <ul>
 *   <li>{@link #failFast}: a command that cannot run without it. The load throws its one-line error.</li>
 *   <li>{@link #reporting}: {@code serve}, which keeps running. The model is null, the reason is logged and kept in
 *       {@link #outcomes()} for the filter's status line.</li>
 * </ul>
 *
 * <p>The loader owns what it opened until the models are handed on ({@link #swapModels}, {@link #handOver}); closing
 * it closes the rest, so a command that fails half-way leaves no native session behind.
 */
public final class ModelLoader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelLoader.class);

    public static final String DETECTOR = "detector";
    public static final String RECOGNIZER = "recognizer";
    public static final String SWAPPER = "swapper";
    public static final String LANDMARKS = "landmarks";
    public static final String OCCLUDER = "occluder";

    /** The manifest's names for each role, the preferred first. */
    private static final List<String> DETECTOR_MODELS = List.of("det_10g");
    private static final List<String> RECOGNIZER_MODELS = List.of("w600k_r50");
    private static final List<String> SWAPPER_MODELS = List.of("inswapper_128", "inswapper_128_fp16");
    public static final String LANDMARKS_MODEL = "2d106det";
    /** The occlusion mask's model: FaceFusion's xseg_2 first (fetched on demand), else whichever XSeg is there. */
    public static final String OCCLUDER_MODEL = "xseg_2";
    private static final List<String> OCCLUDER_MODELS = List.of(OCCLUDER_MODEL, "xseg_1", "xseg_3");

    /**
     * How one role's load went.
     *
     * @param path  the file tried, or null when none was found
     * @param error null when loaded, else the one-line reason (missing file and how to fetch it, bad model…)
     */
    public record Outcome(String path, boolean loaded, String error) {}

    private final OrtConfig config;
    private final ModelFiles manifestModels;
    private final boolean failFast;
    private final Map<String, Outcome> outcomes = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<AutoCloseable> owned = new ArrayList<>(); // guarded by itself

    private ModelLoader(OrtConfig config, ModelFiles manifestModels, boolean failFast) {
        this.config = config;
        this.manifestModels = manifestModels;
        this.failFast = failFast;
    }

    /** For a command that needs every model it asks for: a model that does not load throws its one-line error. */
    public static ModelLoader failFast(OrtConfig config) {
        return new ModelLoader(config, ModelFiles.standard(), true);
    }

    /** For the engine that keeps serving: a model that does not load is null, logged and kept in {@link #outcomes()}. */
    public static ModelLoader reporting(OrtConfig config, ModelFiles manifestModels) {
        return new ModelLoader(config, manifestModels, false);
    }

    public ScrfdDetector detector(Path given, DetectorSettings settings) {
        return load(DETECTOR, given, DETECTOR_MODELS, p -> ScrfdDetector.open(p, config, settings));
    }

    public ArcFaceRecognizer recognizer(Path given) {
        return load(RECOGNIZER, given, RECOGNIZER_MODELS, p -> ArcFaceRecognizer.open(p, config));
    }

    /** inswapper_128, or the fp16 file when only that one was fetched. */
    public FaceSwapper swapper(Path given) {
        return load(SWAPPER, given, SWAPPER_MODELS, p -> FaceSwapper.open(p, config));
    }

    /** The swap model of that manifest name, which a session chose (fetched on demand), under role "swapper_NAME". */
    public FaceSwapper swapperNamed(String modelName) {
        return load(swapperRole(modelName), null, List.of(modelName), p -> FaceSwapper.open(p, config));
    }

    /** The role under which a chosen swapper's outcome is kept, e.g. {@code swapper_inswapper_128_fp16}. */
    public static String swapperRole(String modelName) {
        return SWAPPER + "_" + modelName;
    }

    /** The 106-point landmarks of the mouth mask. */
    public MouthLandmarks landmarks(Path given) {
        return load(LANDMARKS, given, List.of(LANDMARKS_MODEL), p -> MouthLandmarks.open(p, config));
    }

    /** The XSeg occlusion model: {@code given}, else the manifest's xseg_2, xseg_1 or xseg_3, the first there. */
    public FaceOccluder occluder(Path given) {
        return load(OCCLUDER, given, OCCLUDER_MODELS, p -> FaceOccluder.open(p, config));
    }

    public FaceEnhancer enhancer(EnhancerKind kind, Path given) {
        return load(enhancerRole(kind), given, List.of(kind.modelName()), p -> FaceEnhancer.open(p, config, kind.size()));
    }

    /** The role under which an enhancer's outcome is kept, e.g. {@code enhancer_gpen256}. */
    public static String enhancerRole(EnhancerKind kind) {
        return "enhancer_" + kind.cliName();
    }

    /**
     * The face swap's models, built from models this loader opened: they are the result's from here (the caller
     * closes it). A recogniser or other model not passed stays this loader's, and is closed with it.
     */
    public SwapModels swapModels(ScrfdDetector detector, FaceSwapper swapper, ArcFaceRecognizer recognizer,
            MouthLandmarks landmarks, Map<EnhancerKind, FaceEnhancer> enhancers) {
        return swapModels(detector, swapper, recognizer, landmarks, enhancers, null);
    }

    /** Like {@link #swapModels(ScrfdDetector, FaceSwapper, ArcFaceRecognizer, MouthLandmarks, Map)}, with an occluder. */
    public SwapModels swapModels(ScrfdDetector detector, FaceSwapper swapper, ArcFaceRecognizer recognizer,
            MouthLandmarks landmarks, Map<EnhancerKind, FaceEnhancer> enhancers, FaceOccluder occluder) {
        SwapModels models = new SwapModels(detector, swapper, recognizer, landmarks, enhancers, occluder);
        handOver(occluder);
        handOver(detector);
        handOver(swapper);
        handOver(recognizer);
        handOver(landmarks);
        enhancers.values().forEach(this::handOver);
        return models;
    }

    /** {@code model}, which this loader opened, is the caller's to close from here. */
    public <T extends AutoCloseable> T handOver(T model) {
        if (model != null) {
            synchronized (owned) {
                owned.removeIf(m -> m == model);
            }
        }
        return model;
    }

    /** Each role tried so far, with how its load went. */
    public Map<String, Outcome> outcomes() {
        synchronized (outcomes) {
            return Map.copyOf(outcomes);
        }
    }

    /** The outcome of {@code role}, or null if it was not tried. */
    public Outcome outcome(String role) {
        return outcomes.get(role);
    }

    /**
     * {@code given}, else the first of {@code names} that is present and passes its hash check, opened and owned by
     * this loader. Not called under a lock: a fetch that finishes while the engine serves loads here, beside readers of
     * {@link #outcomes()}.
     */
    private <T extends AutoCloseable> T load(String role, Path given, List<String> names, Function<Path, T> open) {
        Path file = given;
        try {
            if (file == null) {
                file = manifestModels.firstPresent(names);
            } else if (!Files.isRegularFile(file)) {
                throw new UserFacingException("model file " + file + " not found");
            } else {
                manifestModels.requirePermitted(file);
            }
            T model = open.apply(file);
            synchronized (owned) {
                owned.add(model);
            }
            outcomes.put(role, new Outcome(file.toString(), true, null));
            if (!failFast) {
                log.info("{} loaded from {}", role, file);
            }
            return model;
        } catch (UserFacingException | IllegalStateException | IllegalArgumentException e) {
            outcomes.put(role, new Outcome(file == null ? null : file.toString(), false, e.getMessage()));
            if (failFast) {
                throw e;
            }
            log.warn("{} not loaded: {}", role, e.getMessage());
            return null;
        }
    }

    /** Closes every model this loader opened and did not hand over, newest first. */
    @Override
    public void close() {
        List<AutoCloseable> left;
        synchronized (owned) {
            left = new ArrayList<>(owned);
            owned.clear();
        }
        Collections.reverse(left);
        for (AutoCloseable m : left) {
            try {
                m.close();
            } catch (Exception e) {
                log.debug("closing a model failed: {}", e.toString());
            }
        }
    }
}
