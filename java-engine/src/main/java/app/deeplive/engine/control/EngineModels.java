package app.deeplive.engine.control;

import ai.onnxruntime.OrtEnvironment;
import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.analysis.recognize.ArcFaceRecognizer;
import app.deeplive.engine.models.ModelFiles;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.onnx.OrtSessions;
import app.deeplive.engine.session.AnalysisFaceFinder;
import app.deeplive.engine.session.SourceFaceFinder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models {@code serve} loads once for every session. A model that is missing or does not load is one log
 * line (which one, and how to fetch it) and a "not loaded" entry in the capabilities — never a failed start: the
 * engine keeps serving, and requests that need the model answer {@code model_missing}.
 */
public final class EngineModels implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EngineModels.class);

    private final Map<String, Capabilities.ModelStatus> status = new LinkedHashMap<>();
    private final SourceFaceFinder finder;
    private final AnalysisFaceFinder ownedFinder;

    /**
     * @param detector SCRFD file, or null for det_10g from the manifest
     * @param recognizer ArcFace file, or null for w600k_r50 from the manifest
     */
    public EngineModels(Path detector, Path recognizer, OrtConfig config) {
        ScrfdDetector det = load("detector", detector, "det_10g",
                p -> ScrfdDetector.open(p, config, DetectorSettings.defaults()));
        ArcFaceRecognizer rec = load("recognizer", recognizer, "w600k_r50", p -> ArcFaceRecognizer.open(p, config));
        if (det != null && rec != null) {
            ownedFinder = new AnalysisFaceFinder(det, rec);
            finder = ownedFinder;
        } else {
            if (det != null) {
                det.close();
            }
            if (rec != null) {
                rec.close();
            }
            ownedFinder = null;
            String missing = det == null ? "detector" : "recognizer";
            finder = SourceFaceFinder.missing("the face " + missing + " is not loaded: " + status.get(missing).error());
        }
    }

    private <T> T load(String role, Path given, String manifestName, Function<Path, T> open) {
        Path file = given;
        try {
            if (file == null) {
                file = ModelFiles.require(manifestName);
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

    /** Records a model role the engine knows of but cannot use yet (e.g. the swapper before the swap stage). */
    public void note(String role, Path file, String why) {
        status.put(role, new Capabilities.ModelStatus(file == null ? null : file.toString(), false, why));
        log.warn("{} not loaded: {}", role, why);
    }

    public SourceFaceFinder sourceFaceFinder() {
        return finder;
    }

    public Map<String, Capabilities.ModelStatus> status() {
        return Map.copyOf(status);
    }

    /** The execution providers this ONNX Runtime build offers. */
    public static List<String> providers() {
        OrtSessions.environment();
        return OrtEnvironment.getAvailableProviders().stream().map(OrtSessions::displayName).sorted().toList();
    }

    @Override
    public void close() {
        if (ownedFinder != null) {
            ownedFinder.close();
        }
    }
}
