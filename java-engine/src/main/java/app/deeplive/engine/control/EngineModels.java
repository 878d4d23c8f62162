package app.deeplive.engine.control;

import ai.onnxruntime.OrtEnvironment;
import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.analysis.recognize.ArcFaceRecognizer;
import app.deeplive.engine.blend.FaceOccluder;
import app.deeplive.engine.blend.MouthLandmarks;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.enhance.FaceEnhancer;
import app.deeplive.engine.models.BackgroundFetches;
import app.deeplive.engine.models.ModelEntry;
import app.deeplive.engine.models.ModelFiles;
import app.deeplive.engine.models.Stage;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.onnx.OrtSessions;
import app.deeplive.engine.pipeline.ModelLoader;
import app.deeplive.engine.pipeline.SwapModels;
import app.deeplive.engine.session.AnalysisFaceFinder;
import app.deeplive.engine.session.ModelsOnDemand;
import app.deeplive.engine.session.SessionPipelines;
import app.deeplive.engine.session.SourceFaceFinder;
import app.deeplive.engine.session.SwapPipelines;
import app.deeplive.engine.swap.FaceSwapper;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    /**
     * Files given on the command line; null (or no entry for an enhancer) means the manifest's default. A given
     * file is the user's choice: it is loaded as is, without the manifest's hash check.
     */
    public record Files(Path detector, Path recognizer, Path swapper, Path landmarks, Map<EnhancerKind, Path> enhancers,
            Path occluder) {
        public Files {
            enhancers = Map.copyOf(enhancers);
        }

        /** Without an occlusion model (the manifest has none: it is only ever a given file). */
        public Files(Path detector, Path recognizer, Path swapper, Path landmarks, Map<EnhancerKind, Path> enhancers) {
            this(detector, recognizer, swapper, landmarks, enhancers, null);
        }
    }

    private final ModelFiles defaults;
    /** Opens every model, at start and when a fetch finishes while the engine serves; closes what sessions do not own. */
    private final ModelLoader loader;
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
        this.defaults = defaults;
        this.loader = ModelLoader.reporting(config, defaults);
        ScrfdDetector det = loader.detector(files.detector(), DetectorSettings.defaults());
        ArcFaceRecognizer rec = loader.recognizer(files.recognizer());
        FaceSwapper swapper = loader.swapper(files.swapper());
        // One loaded detector and recogniser serve the source-face finder and every session's frames (each session
        // through wrappers of its own, SwapModels.forAnotherCaller()).
        if (det != null && rec != null) {
            finder = new AnalysisFaceFinder(det, rec);
        } else {
            String missing = det == null ? ModelLoader.DETECTOR : ModelLoader.RECOGNIZER;
            finder = SourceFaceFinder.missing("the face " + missing + " is not loaded: " + loader.outcome(missing).error());
        }
        try {
            pipelines = swapPipelines(files, det, swapper, rec);
        } catch (RuntimeException | Error e) {
            if (swapModels != null) {
                swapModels.close(); // handed over, but not yet to a pipeline that would close it
            }
            loader.close();
            throw e;
        }
    }

    /** Why {@code role} did not load, or null if it was not tried. */
    private String errorOf(String role) {
        ModelLoader.Outcome tried = loader.outcome(role);
        return tried == null ? null : tried.error();
    }

    /** The sessions' pipelines: the face swap when a detector and swapper loaded, else passthrough. */
    private SessionPipelines swapPipelines(Files files, ScrfdDetector det, FaceSwapper swapper, ArcFaceRecognizer rec) {
        // Passthrough; the loader keeps what did load, for the finder, and closes it.
        if (swapper == null) {
            return SessionPipelines.passthrough("swapper", errorOf(ModelLoader.SWAPPER));
        }
        if (det == null) {
            return SessionPipelines.passthrough("face detector", errorOf(ModelLoader.DETECTOR));
        }
        MouthLandmarks landmarks = loader.landmarks(files.landmarks());
        Map<EnhancerKind, FaceEnhancer> enhancers = new EnumMap<>(EnhancerKind.class);
        for (EnhancerKind kind : EnhancerKind.values()) {
            FaceEnhancer e = loader.enhancer(kind, files.enhancers().get(kind));
            if (e != null) {
                enhancers.put(kind, e);
            }
        }
        FaceOccluder occluder = loader.occluder(files.occluder());
        swapModels = loader.swapModels(det, swapper, rec, landmarks, enhancers, occluder);
        if (files.swapper() == null) { // the manifest's: a session that chooses it by name gets the same loaded model
            Path loadedFrom = Path.of(loader.outcome(ModelLoader.SWAPPER).path()).getFileName();
            defaults.manifestInUse().models().stream()
                    .filter(m -> m.stage() == Stage.SWAP && loadedFrom.toString().equals(m.file())).findFirst()
                    .ifPresent(m -> swapModels.nameOwnSwapper(m.name()));
        }
        // The finder keeps using det and rec: SwapModels.close waits for a call in flight on them.
        return new SwapPipelines(swapModels, describe(enhancers, landmarks), onDemand(files));
    }

    /**
     * The optional models the manifest has and the user gave no file for, and the swap models a session may choose:
     * fetched when a session asks for one (never one whose licence forbids its use).
     */
    private ModelsOnDemand onDemand(Files files) {
        Set<String> fetchable = new HashSet<>();
        for (ModelEntry m : defaults.manifestInUse().models()) {
            if (m.stage() == Stage.SWAP && m.licence().permitsUse()) {
                fetchable.add(m.name());
            }
        }
        if (files.landmarks() == null) {
            fetchable.add(ModelLoader.LANDMARKS_MODEL);
        }
        if (files.occluder() == null) {
            fetchable.add(ModelLoader.OCCLUDER_MODEL);
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
     * sessions use it from their next frame. A file that does not load throws, and the fetch reports it.
     */
    private void install(ModelEntry m) {
        Optional<EnhancerKind> kind = EnhancerKind.ofModel(m.name());
        if (m.stage() == Stage.SWAP) {
            FaceSwapper s = loaded(loader.swapperNamed(m.name()), ModelLoader.swapperRole(m.name()));
            swapModels.addSwapper(m.name(), loader.handOver(s));
        } else if (kind.isPresent()) {
            FaceEnhancer e = loaded(loader.enhancer(kind.get(), null), ModelLoader.enhancerRole(kind.get()));
            swapModels.addEnhancer(kind.get(), loader.handOver(e));
        } else if (m.stage() == Stage.OCCLUDE) {
            FaceOccluder o = loaded(loader.occluder(null), ModelLoader.OCCLUDER);
            swapModels.addOccluder(loader.handOver(o));
        } else if (ModelLoader.LANDMARKS_MODEL.equals(m.name())) {
            MouthLandmarks l = loaded(loader.landmarks(null), ModelLoader.LANDMARKS);
            swapModels.addLandmarks(loader.handOver(l));
        } else {
            throw new IllegalArgumentException(m.name() + " is not an optional model the engine can add while it runs");
        }
    }

    private <T> T loaded(T model, String role) {
        if (model == null) {
            throw new UserFacingException(loader.outcome(role).error());
        }
        return model;
    }

    private String describe(Map<EnhancerKind, FaceEnhancer> enhancers, MouthLandmarks landmarks) {
        StringBuilder what = new StringBuilder("face swap: ")
                .append(Path.of(loader.outcome(ModelLoader.SWAPPER).path()).getFileName());
        if (!enhancers.isEmpty()) {
            what.append("; enhancers: ").append(String.join(", ", enhancers.keySet().stream().map(EnhancerKind::cliName).toList()));
        }
        what.append(landmarks != null ? "; mouth mask" : "; no mouth mask (2d106det not loaded)");
        if (swapModels != null && swapModels.occluder() != null) {
            what.append("; occlusion mask");
        }
        return what.toString();
    }

    public SourceFaceFinder sourceFaceFinder() {
        return finder;
    }

    /** What sessions run: the face swap when a detector and swapper loaded, else passthrough. */
    public SessionPipelines pipelines() {
        return pipelines;
    }

    /** Each model role, with whether it loaded and, if not, why. */
    public Map<String, ModelLoader.Outcome> status() {
        return loader.outcomes();
    }

    /** The execution providers this ONNX Runtime build offers. */
    public static List<String> providers() {
        OrtSessions.environment();
        return OrtEnvironment.getAvailableProviders().stream().map(OrtSessions::displayName).sorted().toList();
    }

    @Override
    public void close() {
        if (pipelines instanceof AutoCloseable owned) {
            try {
                owned.close();
            } catch (Exception e) {
                log.debug("closing the sessions' pipelines failed: {}", e.toString());
            }
        }
        loader.close();
    }
}
