package app.deeplive.engine.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.models.ModelDirectory;
import app.deeplive.engine.models.ModelFiles;
import app.deeplive.engine.models.ModelManifest;
import app.deeplive.engine.models.Sha256;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.pipeline.ModelLoader;
import app.deeplive.engine.session.SessionPipelines;
import app.deeplive.engine.testing.SharedData;
import app.deeplive.engine.testing.SyntheticModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The models serve loads: the manifest's come from the model directory only when they match their pinned hash; a
 * refused one is "not loaded" with its one-line error (serve goes on), and a file given with an option is loaded as
 * is. The detector and recogniser are given (the shared SCRFD, the synthetic 512-d recogniser); the swapper comes
 * from a test manifest whose inswapper_128 hash is the synthetic swapper's.
 */
class EngineModelsTest {
    @TempDir
    Path dir;

    private ModelFiles modelDirectoryWith(byte[] inswapper) throws Exception {
        Files.write(dir.resolve("inswapper_128.onnx"), inswapper);
        String pinned = Sha256.of(SyntheticModels.inswapper());
        ModelManifest manifest = ModelManifest.parse("""
                {"version": 1, "models": [
                 {"name": "inswapper_128", "file": "inswapper_128.onnx", "stage": "swap", "size": null, "sha256": "%s",
                  "urls": ["https://example.invalid/inswapper_128.onnx"], "licence": {"short": "nc", "text": "nc"}},
                 {"name": "inswapper_128_fp16", "file": "inswapper_128_fp16.onnx", "stage": "swap", "size": null,
                  "sha256": "%s", "urls": ["https://example.invalid/fp16.onnx"], "licence": {"short": "nc", "text": "nc"}},
                 {"name": "2d106det", "file": "2d106det.onnx", "stage": "landmarks", "size": null, "sha256": "%s",
                  "urls": ["https://example.invalid/2d106det.onnx"], "licence": {"short": "nc", "text": "nc"}}
                ]}""".formatted(pinned, pinned, pinned), "test manifest");
        return new ModelFiles(manifest, new ModelDirectory(dir));
    }

    private static EngineModels.Files given(Path swapper, Path landmarks, Map<EnhancerKind, Path> enhancers) {
        return new EngineModels.Files(SharedData.model("scrfd_2.5g_bnkps.onnx"), SyntheticModels.recognizer512(),
                swapper, landmarks, enhancers);
    }

    @Test
    void aManifestModelThatFailsItsHashIsNotLoadedAndServeGoesOnWithTheOneLineError() throws Exception {
        ModelFiles defaults = modelDirectoryWith(Files.readAllBytes(SyntheticModels.gpen256()));
        try (EngineModels models = new EngineModels(given(null, null, Map.of()), OrtConfig.defaults(), defaults)) {
            ModelLoader.Outcome swapper = models.status().get("swapper");
            assertFalse(swapper.loaded());
            assertTrue(swapper.error().startsWith("model file " + dir.resolve("inswapper_128.onnx") + " has SHA-256 "
                    + Sha256.of(SyntheticModels.gpen256()) + " but the manifest says "
                    + Sha256.of(SyntheticModels.inswapper()) + ", so it is not loaded: run `"), swapper.error());
            assertTrue(swapper.error().endsWith("models fetch inswapper_128` again, or pass your own file with "
                    + "--swapper FILE"), swapper.error());
            assertEquals("passthrough: no swapper loaded: " + swapper.error(), models.pipelines().description(),
                    "frames pass through, as with a missing swapper, and the filter's status line says why");
            assertTrue(models.status().get("detector").loaded());
        }
    }

    /** The filter's status line shows the pipeline's description: a missing detector is named, with its fix. */
    @Test
    void withTheSwapperButNoDetectorThePassthroughNamesTheDetectorAndItsFix() throws Exception {
        ModelFiles defaults = modelDirectoryWith(Files.readAllBytes(SyntheticModels.inswapper()));
        Path missing = dir.resolve("my_detector.onnx");
        EngineModels.Files files = new EngineModels.Files(missing, SyntheticModels.recognizer512(),
                SyntheticModels.inswapper(), null, Map.of());
        try (EngineModels models = new EngineModels(files, OrtConfig.defaults(), defaults)) {
            ModelLoader.Outcome detector = models.status().get("detector");
            assertFalse(detector.loaded());
            assertTrue(models.status().get("swapper").loaded());
            String description = models.pipelines().description();
            assertEquals("passthrough: no face detector loaded: " + detector.error(), description);
            assertTrue(description.contains(missing.toString()), description);
        }
    }

    @Test
    void aManifestModelThatMatchesItsHashLoads() throws Exception {
        ModelFiles defaults = modelDirectoryWith(Files.readAllBytes(SyntheticModels.inswapper()));
        try (EngineModels models = new EngineModels(given(null, null, Map.of()), OrtConfig.defaults(), defaults)) {
            assertEquals(new ModelLoader.Outcome(dir.resolve("inswapper_128.onnx").toString(), true, null),
                    models.status().get("swapper"));
            assertNotSame(SessionPipelines.PASSTHROUGH, models.pipelines());
        }
    }

    @Test
    void filesGivenWithOptionsAreTheUsersChoiceAndLoadWithoutAHashCheck() throws Exception {
        // The model directory's swapper would be refused; the one given, not in any manifest, is loaded.
        ModelFiles defaults = modelDirectoryWith(Files.readAllBytes(SyntheticModels.gpen256()));
        Path swapper = Files.copy(SyntheticModels.inswapper(), dir.resolve("my-swapper.onnx"));
        EngineModels.Files files = given(swapper, SyntheticModels.landmarks106(),
                Map.of(EnhancerKind.GPEN256, SyntheticModels.gpen256()));
        try (EngineModels models = new EngineModels(files, OrtConfig.defaults(), defaults)) {
            assertEquals(new ModelLoader.Outcome(swapper.toString(), true, null), models.status().get("swapper"));
            assertEquals(new ModelLoader.Outcome(SyntheticModels.landmarks106().toString(), true, null),
                    models.status().get("landmarks"));
            assertTrue(models.status().get("enhancer_gpen256").loaded());
            assertTrue(models.pipelines().description().contains("enhancers: gpen256; mouth mask"),
                    models.pipelines().description());
        }
    }
}
