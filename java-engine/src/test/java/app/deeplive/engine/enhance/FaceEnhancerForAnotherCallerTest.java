package app.deeplive.engine.enhance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.analysis.align.FaceTemplate;
import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.testing.SyntheticModels;
import app.deeplive.engine.testing.TestImages;
import app.deeplive.engine.testing.TwoThreads;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * An enhancer for another caller (synthetic batched GPEN-BFR-256) shares the loaded session, keeps its own crops and
 * buffers, and enhances a frame exactly as the original does, alone or two threads at once on copies of one frame.
 */
class FaceEnhancerForAnotherCallerTest {
    private static final List<float[]> KPS = List.of(
            SimilarityTransform.of(0.8, 0.1, 30, 40).applyAll(FaceTemplate.ffhq(256).points()),
            SimilarityTransform.of(0.6, -0.2, 200, 60).applyAll(FaceTemplate.ffhq(256).points()));

    private static byte[] enhanced(FaceEnhancer enhancer, Mat frame) {
        try (Mat copy = frame.clone()) {
            enhancer.enhanceAll(copy, KPS, 0.8);
            return TestImages.bytes(copy);
        }
    }

    @Test
    void enhancesExactlyAsTheOriginalAloneAndTwoThreadsAtOnce() throws Exception {
        try (FaceEnhancer original = FaceEnhancer.open(SyntheticModels.gpen256Batched(), OrtConfig.cpu());
                FaceEnhancer a = original.forAnotherCaller(); FaceEnhancer b = original.forAnotherCaller();
                Mat frame = TestImages.pattern(420, 300, 5); Mat other = TestImages.pattern(420, 300, 6)) {
            assertSame(original.model().session(), a.model().session(), "nothing was loaded again");
            assertEquals(original.size(), a.size());
            assertEquals(original.batched(), a.batched());
            byte[] expected = enhanced(original, frame);
            assertFalse(Arrays.equals(expected, TestImages.bytes(frame)), "the faces were enhanced");

            List<FaceEnhancer> callers = List.of(a, b);
            for (List<byte[]> caller : TwoThreads.run(6, c -> r -> enhanced(callers.get(c), frame))) {
                for (byte[] round : caller) { // both threads on copies of the same frame at once
                    assertArrayEquals(expected, round);
                }
            }
            // Different frames at once (shared buffers would mix them up): caller c enhances frame (c + r) % 2.
            List<Mat> frames = List.of(frame, other);
            List<byte[]> expectedEach = List.of(expected, enhanced(original, other));
            List<List<byte[]>> results = TwoThreads.run(10, c -> r -> enhanced(callers.get(c), frames.get((c + r) % 2)));
            for (int c = 0; c < 2; c++) {
                for (int r = 0; r < results.get(c).size(); r++) {
                    assertArrayEquals(expectedEach.get((c + r) % 2), results.get(c).get(r), "caller " + c + ", round " + r);
                }
            }
            FaceEnhancer brief = original.forAnotherCaller();
            assertArrayEquals(expected, enhanced(brief, frame));
            brief.close();
            assertTrue(original.model().isOpen());
            assertArrayEquals(expected, enhanced(original, frame), "the original works on after a sibling closed");
        }
    }
}
