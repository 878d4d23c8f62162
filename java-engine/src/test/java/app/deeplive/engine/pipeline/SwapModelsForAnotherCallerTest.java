package app.deeplive.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.analysis.recognize.ArcFaceRecognizer;
import app.deeplive.engine.blend.BlendOptions;
import app.deeplive.engine.blend.MouthLandmarks;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.enhance.FaceEnhancer;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.image.ImageLoader;
import app.deeplive.engine.onnx.LoadedModel;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.swap.Identity;
import app.deeplive.engine.swap.FaceSwapper;
import app.deeplive.engine.testing.SharedData;
import app.deeplive.engine.testing.SyntheticModels;
import app.deeplive.engine.testing.TestImages;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * The set of models for another caller: every wrapper made anew over the same loaded sessions (real SCRFD and
 * MobileFaceNet, synthetic swapper, landmarks and GPEN), the optional ones only where the original has them. A
 * pipeline over it swaps a frame exactly as one over the originals; closing it closes its wrappers only, and the
 * loaded models close with the originals afterwards.
 */
class SwapModelsForAnotherCallerTest {
    private static SwapModels load(boolean optionals) {
        OrtConfig cpu = OrtConfig.cpu();
        return new SwapModels(
                ScrfdDetector.open(SharedData.model("scrfd_2.5g_bnkps.onnx"), cpu, DetectorSettings.defaults()),
                FaceSwapper.open(SyntheticModels.inswapper(), cpu),
                optionals ? ArcFaceRecognizer.open(SharedData.model("mobilefacenet.onnx"), cpu) : null,
                optionals ? MouthLandmarks.open(SyntheticModels.landmarks106(), cpu) : null,
                optionals ? Map.of(EnhancerKind.GPEN256, FaceEnhancer.open(SyntheticModels.gpen256(), cpu)) : Map.of());
    }

    private static List<LoadedModel> loaded(SwapModels m) {
        return List.of(m.detector().model(), m.swapper().model(), m.recognizer().model(), m.landmarks().model(),
                m.enhancer(EnhancerKind.GPEN256).model());
    }

    private static byte[] swapped(SwapModels models, Mat photo) {
        SwapSettings settings = SwapSettings.of(new Identity(FaceSwapPipelineTest.embedding(2)))
                .withBlend(BlendOptions.DEFAULT.withMouthMask(50)).withEnhancer(EnhancerKind.GPEN256, 0.7);
        try (Mat frame = photo.clone(); FrameView view = FrameView.of(frame);
                FaceSwapPipeline pipeline = new FaceSwapPipeline(models)) {
            assertEquals(1, pipeline.process(view, settings, 0).swapped());
            return TestImages.bytes(frame);
        }
    }

    @Test
    void aPipelineOverTheSiblingsSwapsExactlyAsOneOverTheOriginals() {
        try (SwapModels originals = load(true); Mat photo = ImageLoader.load(SharedData.photo("obama.jpg"))) {
            byte[] expected = swapped(originals, photo);
            assertFalse(java.util.Arrays.equals(expected, TestImages.bytes(photo)));
            try (SwapModels own = originals.forAnotherCaller()) {
                List<LoadedModel> mine = loaded(originals);
                List<LoadedModel> its = loaded(own);
                for (int i = 0; i < mine.size(); i++) {
                    assertSame(mine.get(i).session(), its.get(i).session(), "nothing was loaded again: " + mine.get(i));
                    assertNotSame(mine.get(i), its.get(i), "a handle of its own");
                }
                assertNotSame(originals.swapper(), own.swapper());
                assertArrayEquals(expected, swapped(own, photo));
            }
            loaded(originals).forEach(m -> assertTrue(m.isOpen(), m + " stays open for the originals"));
            assertArrayEquals(expected, swapped(originals, photo), "the originals work on");
        }
    }

    @Test
    void theLoadedModelsCloseOnceWithTheLastWrapperOverThem() {
        SwapModels originals = load(true);
        List<LoadedModel> models = loaded(originals);
        SwapModels first = originals.forAnotherCaller();
        SwapModels second = originals.forAnotherCaller();
        first.close();
        originals.close(); // a session may outlive the engine's close: its wrappers keep the models open
        models.forEach(m -> assertTrue(m.isOpen(), m + " is still in use"));
        second.close(); // an OrtSession closed twice would throw here
        models.forEach(m -> assertFalse(m.isOpen(), m + " closed with its last wrapper"));
    }

    @Test
    void absentOptionalModelsStayAbsent() {
        try (SwapModels originals = load(false); SwapModels own = originals.forAnotherCaller()) {
            assertNull(own.recognizer());
            assertNull(own.landmarks());
            assertNull(own.enhancer(EnhancerKind.GPEN256));
        }
    }

    @Test
    void optionalModelsAddedLaterReachWrappersMadeBeforeAsWrappersOfTheirOwn() {
        OrtConfig cpu = OrtConfig.cpu();
        SwapModels originals = load(false);
        SwapModels own = originals.forAnotherCaller(); // a session that was running before the model was fetched
        FaceEnhancer gpen = FaceEnhancer.open(SyntheticModels.gpen256(), cpu);
        MouthLandmarks mouth = MouthLandmarks.open(SyntheticModels.landmarks106(), cpu);
        assertTrue(originals.addEnhancer(EnhancerKind.GPEN256, gpen));
        assertTrue(originals.addLandmarks(mouth));
        FaceEnhancer again = FaceEnhancer.open(SyntheticModels.gpen256(), cpu);
        assertFalse(originals.addEnhancer(EnhancerKind.GPEN256, again), "one of a kind: the second is refused");
        assertFalse(again.model().isOpen(), "and closed, as it is owned");

        FaceEnhancer seen = own.enhancer(EnhancerKind.GPEN256);
        assertNotSame(gpen, seen, "a wrapper of its own, with its own buffers");
        assertSame(seen, own.enhancer(EnhancerKind.GPEN256), "made once");
        assertNotSame(mouth, own.landmarks());
        List<LoadedModel> models = List.of(gpen.model(), mouth.model());
        originals.close();
        models.forEach(m -> assertTrue(m.isOpen(), m + " is still used by the session's wrapper"));
        own.close();
        models.forEach(m -> assertFalse(m.isOpen(), m + " closed with its last wrapper"));
    }
}
