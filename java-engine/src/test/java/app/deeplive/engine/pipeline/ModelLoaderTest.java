package app.deeplive.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.analysis.recognize.ArcFaceRecognizer;
import app.deeplive.engine.models.ModelDirectory;
import app.deeplive.engine.models.ModelFiles;
import app.deeplive.engine.models.ModelManifest;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.swap.FaceSwapper;
import app.deeplive.engine.testing.SharedData;
import app.deeplive.engine.testing.SyntheticModels;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one loader of the model set: a command's loader fails on the first model that does not load and leaves
 * nothing open; the engine's loader goes on and says why; a model handed to the face swap is the swap's to close,
 * and one not handed over is closed with the loader.
 */
class ModelLoaderTest {
    private static final Path DETECTOR = SharedData.model("scrfd_2.5g_bnkps.onnx");

    @TempDir
    Path dir;

    /** A model directory with nothing fetched, under a manifest that knows both inswapper_128 files. */
    private ModelFiles emptyModelDirectory() {
        ModelManifest manifest = ModelManifest.parse("""
                {"version": 1, "models": [
                 {"name": "inswapper_128", "file": "inswapper_128.onnx", "stage": "swap", "size": null, "sha256": null,
                  "urls": ["https://example.invalid/inswapper_128.onnx"], "licence": {"short": "nc", "text": "nc"}},
                 {"name": "inswapper_128_fp16", "file": "inswapper_128_fp16.onnx", "stage": "swap", "size": null,
                  "sha256": null, "urls": ["https://example.invalid/fp16.onnx"], "licence": {"short": "nc", "text": "nc"}}
                ]}""", "test manifest");
        return new ModelFiles(manifest, new ModelDirectory(dir));
    }

    /** A refused model passed under another name is still refused: by its size and SHA-256. */
    @Test
    void aRefusedModelRenamedIsRefusedByItsContent() throws Exception {
        Path model = SyntheticModels.hyperswap();
        ModelManifest manifest = ModelManifest.parse("""
                {"version": 1, "models": [
                 {"name": "hyperswap_1a_256", "file": "hyperswap_1a_256.onnx", "stage": "swap", "size": %d,
                  "sha256": "%s", "urls": ["https://example.invalid/h.onnx"],
                  "licence": {"short": "ResearchRAIL-MS", "text": "research", "forbids": "it allows research use only"}}
                ]}""".formatted(java.nio.file.Files.size(model), app.deeplive.engine.models.Sha256.of(model)),
                "test manifest");
        Path renamed = java.nio.file.Files.copy(model, dir.resolve("my_swapper.onnx"));
        try (ModelLoader load = ModelLoader.reporting(OrtConfig.cpu(), new ModelFiles(manifest, new ModelDirectory(dir)))) {
            assertNull(load.swapper(renamed));
            String why = load.outcome(ModelLoader.SWAPPER).error();
            assertTrue(why.startsWith("model file " + renamed + " is hyperswap_1a_256 (same SHA-256), which is refused: "
                    + "its licence (ResearchRAIL-MS) forbids this use"), why);
            Path other = java.nio.file.Files.copy(SyntheticModels.inswapper(), dir.resolve("other.onnx"));
            FaceSwapper allowed = load.swapper(other);
            assertTrue(allowed != null, "another file loads: " + load.outcome(ModelLoader.SWAPPER).error());
        }
    }

    @Test
    void aCommandsLoaderThrowsTheOneLineErrorOfAGivenFileThatIsNotThere() {
        try (ModelLoader load = ModelLoader.failFast(OrtConfig.defaults())) {
            Path missing = dir.resolve("nope.onnx");
            UserFacingException e = assertThrows(UserFacingException.class, () -> load.swapper(missing));
            assertEquals("model file " + missing + " not found", e.getMessage());
            assertFalse(load.outcome(ModelLoader.SWAPPER).loaded());
        }
    }

    @Test
    void aCommandThatFailsHalfWayLeavesNoModelOpen() {
        ScrfdDetector detector;
        try (ModelLoader load = ModelLoader.failFast(OrtConfig.defaults())) {
            detector = load.detector(DETECTOR, DetectorSettings.defaults());
            assertThrows(UserFacingException.class, () -> load.swapper(dir.resolve("nope.onnx")));
            assertTrue(detector.model().isOpen(), "still the loader's while it is open");
        }
        assertFalse(detector.model().isOpen(), "closed with the loader: the command failed before handing it on");
    }

    @Test
    void theEnginesLoaderGoesOnWithoutAMissingModelAndSaysHowToFetchIt() {
        try (ModelLoader load = ModelLoader.reporting(OrtConfig.defaults(), emptyModelDirectory())) {
            assertNull(load.swapper(null));
            ModelLoader.Outcome swapper = load.outcome(ModelLoader.SWAPPER);
            assertFalse(swapper.loaded());
            assertTrue(swapper.error().contains("models fetch inswapper_128"), swapper.error());

            ScrfdDetector detector = load.detector(DETECTOR, DetectorSettings.defaults());
            assertTrue(detector.model().isOpen());
            assertEquals(Map.of(ModelLoader.SWAPPER, swapper,
                    ModelLoader.DETECTOR, new ModelLoader.Outcome(DETECTOR.toString(), true, null)), load.outcomes());
        }
    }

    @Test
    void modelsHandedToTheFaceSwapAreItsToCloseAndTheRestCloseWithTheLoader() {
        SwapModels models;
        ArcFaceRecognizer recognizer;
        ScrfdDetector detector;
        try (ModelLoader load = ModelLoader.failFast(OrtConfig.defaults())) {
            detector = load.detector(DETECTOR, DetectorSettings.defaults());
            recognizer = load.recognizer(SyntheticModels.recognizer512());
            FaceSwapper swapper = load.swapper(SyntheticModels.inswapper());
            models = load.swapModels(detector, swapper, null, null, Map.of());
        }
        assertFalse(recognizer.model().isOpen(), "not handed over: closed with the loader");
        assertTrue(detector.model().isOpen(), "the face swap's now");
        models.close();
        assertFalse(detector.model().isOpen());
    }
}
