package app.deeplive.engine.control;

import ai.onnxruntime.OrtEnvironment;
import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.analysis.recognize.ArcFaceRecognizer;
import app.deeplive.engine.blend.MouthLandmarks;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.enhance.FaceEnhancer;
import app.deeplive.engine.models.BackgroundFetches;
import app.deeplive.engine.models.ModelEntry;
import app.deeplive.engine.models.ModelFiles;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.onnx.OrtSessions;
import app.deeplive.engine.pipeline.SwapModels;
import app.deeplive.engine.session.AnalysisFaceFinder;
import app.deeplive.engine.session.ModelsOnDemand;
import app.deeplive.engine.session.SessionPipelines;
import app.deeplive.engine.session.SourceFaceFinder;
import app.deeplive.engine.session.SwapPipelines;
import app.deeplive.engine.swap.InSwapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models {@code serve} loads once for every session: the source-face finder (detector + recogniser) and the
 * swap pipeline's models (detector, swapper, recogniser for mappings, optional mouth landmarks and enhancers). A
 * model that is missing or does not load is one log line (which one, and how to fetch it) and a "not loaded"
 * capability — never a failed start: the engine keeps serving; without a detector or swapper, frames pass through
 * unchanged, and requests that need a missing model answer {@code model_missing}.
 */
public final class EngineModels implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EngineModels.class);
    private static final String LANDMARKS = "2d106det";

    /**
     * Files given on the command line; null (or no entry for an enhancer) means the manifest's default. A given
     * file is the user's choice: it is loaded as is, without the manifest's hash check.
     */
    public record Files(Path detector, Path recognizer, Path swapper, Path landmarks, Map<EnhancerKind, Path> enhancers) {
        public Files {
            enhancers = Map.copyOf(enhancers);
        }
    }

    private final OrtConfig config;
    private final ModelFiles defaults;
    /** Written by the constructor and by fetches that finish while the engine serves. */
    private final Map<String, Capabilities.ModelStatus> status = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final SourceFaceFinder finder;
    private final SessionPipelines pipelines;
    /** The face swap's models, where models fetched on demand are added; null when sessions pass frames through. */
    private SwapModels swapModels;

    /** Loads {@code files}, and the rest from the bundled manifest's models in the standard model directory. */
    public EngineModels(Files files, OrtConfig config) {
        this(files, config, ModelFiles.standard());
    }

    /** Loads {@code files}, and the rest from {@code defaults} (checked against their pinned hashes). */
    public EngineModels(Files files, OrtConfig config, ModelFiles defaults) {
        this.config = config;
        this.defaults = defaults;
        DetectorSettings detection = DetectorSettings.defaults();
        ScrfdDetector det = load("detector", files.detector(), List.of("det_10g"), p -> ScrfdDetector.open(p, config, detection));
        ArcFaceRecognizer rec = load("recognizer", files.recognizer(), List.of("w600k_r50"), p -> ArcFaceRecognizer.open(p, config));
        InSwapper swapper = load("swapper", files.swapper(), List.of("inswapper_128", "inswapper_128_fp16"),
                p -> InSwapper.open(p, config));
        // One loaded detector and recogniser serve the source-face finder and every session's frames (each session
        // through wrappers of its own, SwapModels.forAnotherCaller()).
        if (det != null && rec != null) {
            finder = new AnalysisFaceFinder(det, rec);
        } else {
            String missing = det == null ? "detector" : "recognizer";
            finder = SourceFaceFinder.missing("the face " + missing + " is not loaded: " + status.get(missing).error());
        }
        try {
            pipelines = swapPipelines(files, det, swapper, rec);
        } catch (RuntimeException | Error e) {
            closeAll(det, rec); // swapPipelines closed the rest it had opened
            close();
            throw e;
        }
    }

    /** The sessions' pipelines; they own {@code det}, {@code swapper} and {@code rec} from here, or this does. */
    private SessionPipelines swapPipelines(Files files, ScrfdDetector det, InSwapper swapper, ArcFaceRecognizer rec) {
        if (swapper == null || det == null) {
            closeAll(swapper);
            ownIfLoaded(det, rec);
            return SessionPipelines.PASSTHROUGH;
        }
        MouthLandmarks landmarks = null;
        Map<EnhancerKind, FaceEnhancer> enhancers = new EnumMap<>(EnhancerKind.class);
        try {
            landmarks = load("landmarks", files.landmarks(), List.of(LANDMARKS), p -> MouthLandmarks.open(p, config));
            for (EnhancerKind kind : EnhancerKind.values()) {
                FaceEnhancer e = load("enhancer_" + kind.cliName(), files.enhancers().get(kind), List.of(kind.modelName()),
                        p -> FaceEnhancer.open(p, config, kind.size()));
                if (e != null) {
                    enhancers.put(kind, e);
                }
            }
            swapModels = new SwapModels(det, swapper, rec, landmarks, enhancers);
            SwapPipelines p = new SwapPipelines(swapModels, describe(enhancers, landmarks), onDemand(files));
            owned.add(p);
            return p;
        } catch (RuntimeException | Error e) {
            // Nothing owns these yet: a failed start must not leave native sessions behind.
            closeAll(swapper, landmarks);
            closeAll(enhancers.values().toArray(AutoCloseable[]::new));
            throw e;
        }
    }

    /** The optional models the manifest has and the user gave no file for: fetched when a session asks for one. */
    private ModelsOnDemand onDemand(Files files) {
        Set<String> fetchable = new HashSet<>();
        if (files.landmarks() == null) {
            fetchable.add(LANDMARKS);
        }
        for (EnhancerKind kind : EnhancerKind.values()) {
            if (files.enhancers().get(kind) == null) {
                fetchable.add(kind.modelName());
            }
        }
        return new OnDemandModels(defaults.manifestInUse(), fetchable, BackgroundFetches.into(defaults), this::install);
    }

    /**
     * Loads a model fetched while the engine serves (on the fetch's thread) and adds it to the face swap's models:
     * sessions use it from their next frame.
     */
    private void install(ModelEntry m) {
        Path file = defaults.file(m.name()); // verified against its hash again, as at start
        Optional<EnhancerKind> kind = EnhancerKind.ofModel(m.name());
        if (kind.isPresent()) {
            swapModels.addEnhancer(kind.get(), FaceEnhancer.open(file, config, kind.get().size()));
            status.put("enhancer_" + kind.get().cliName(), new Capabilities.ModelStatus(file.toString(), true, null));
        } else if (LANDMARKS.equals(m.name())) {
            swapModels.addLandmarks(MouthLandmarks.open(file, config));
            status.put("landmarks", new Capabilities.ModelStatus(file.toString(), true, null));
        } else {
            throw new IllegalArgumentException(m.name() + " is not an optional model the engine can add while it runs");
        }
        log.info("{} loaded from {}", m.name(), file);
    }

    private String describe(Map<EnhancerKind, FaceEnhancer> enhancers, MouthLandmarks landmarks) {
        StringBuilder what = new StringBuilder("face swap: ").append(Path.of(status.get("swapper").path()).getFileName());
        if (!enhancers.isEmpty()) {
            what.append("; enhancers: ").append(String.join(", ", enhancers.keySet().stream().map(EnhancerKind::cliName).toList()));
        }
        what.append(landmarks != null ? "; mouth mask" : "; no mouth mask (2d106det not loaded)");
        return what.toString();
    }

    /**
     * {@code given}, else the first of {@code names} that is present and passes its hash check, opened; null with a log
     * line and a "not loaded" status if none loads (a refused file is reported like a missing one: serve goes on).
     */
    private <T> T load(String role, Path given, List<String> names, Function<Path, T> open) {
        Path file = given;
        try {
            if (file == null) {
                file = defaults.firstPresent(names);
            }
            T model = open.apply(file);
            status.put(role, new Capabilities.ModelStatus(file.toString(), true, null));
            log.info("{} loaded from {}", role, file);
            return model;
        } catch (UserFacingException | IllegalStateException | IllegalArgumentException e) {
            status.put(role, new Capabilities.ModelStatus(file == null ? null : file.toString(), false, e.getMessage()));
            log.warn("{} not loaded: {}", role, e.getMessage());
            return null;
        }
    }

    private void ownIfLoaded(AutoCloseable... models) {
        for (AutoCloseable m : models) {
            if (m != null) {
                owned.add(m);
            }
        }
    }

    public SourceFaceFinder sourceFaceFinder() {
        return finder;
    }

    /** What sessions run: the face swap when a detector and swapper loaded, else passthrough. */
    public SessionPipelines pipelines() {
        return pipelines;
    }

    public Map<String, Capabilities.ModelStatus> status() {
        synchronized (status) {
            return Map.copyOf(status);
        }
    }

    /** The execution providers this ONNX Runtime build offers. */
    public static List<String> providers() {
        OrtSessions.environment();
        return OrtEnvironment.getAvailableProviders().stream().map(OrtSessions::displayName).sorted().toList();
    }

    private static void closeAll(AutoCloseable... models) {
        for (AutoCloseable m : models) {
            if (m != null) {
                try {
                    m.close();
                } catch (Exception e) {
                    log.debug("closing a model failed: {}", e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        closeAll(owned.toArray(AutoCloseable[]::new));
    }
}
