package app.deeplive.engine.enhance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.analysis.align.FaceTemplate;
import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.testing.SyntheticModels;
import app.deeplive.engine.testing.TestImages;
import java.util.Arrays;
import java.nio.file.Path;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** The GFPGAN/GPEN contract on the synthetic enhancers, which negate their [-1, 1] input. */
class FaceEnhancerTest {
    /** Keypoints of a face placed so that the FFHQ crop maps onto frame box (x0, y0)+(side). */
    static float[] kpsFor(int size, SimilarityTransform cropToFrame) {
        return cropToFrame.applyAll(FaceTemplate.ffhq(size).points());
    }

    @Test
    void readsItsSizeFromTheModelAndUsesTheFfhqTemplate() {
        for (Path model : new Path[] {SyntheticModels.gfpgan(), SyntheticModels.gpen256(), SyntheticModels.gpen512()}) {
            try (FaceEnhancer e = FaceEnhancer.open(model, OrtConfig.cpu())) {
                int expected = model.equals(SyntheticModels.gpen256()) ? 256 : 512;
                assertEquals(expected, e.size());
                SimilarityTransform cropToFrame = SimilarityTransform.of(0.5, 0.1, 100, 80);
                double[] m = e.cropTransform(kpsFor(expected, cropToFrame)).matrix();
                double[] want = cropToFrame.inverse().matrix();
                for (int i = 0; i < 6; i++) {
                    assertEquals(want[i], m[i], 1e-3);
                }
            }
        }
    }

    @Test
    void theEnhancedFaceIsTheModelsOutputMappedFromMinusOneToOneAndFeathered() {
        try (FaceEnhancer e = FaceEnhancer.open(SyntheticModels.gpen256(), OrtConfig.cpu());
                Mat frame = new Mat(400, 400, opencv_core.CV_8UC3, new Scalar(40, 100, 220, 0));
                Mat original = frame.clone()) {
            SimilarityTransform cropToFrame = SimilarityTransform.of(1.0, 0, 70, 70); // crop at (70..326)
            e.enhance(frame, kpsFor(256, cropToFrame), 1.0);
            UByteIndexer idx = frame.createIndexer();
            // Centre: fully enhanced, 255 − x (the model negates in [-1, 1]).
            assertEquals(255 - 40, idx.get(198, 198, 0), 1.0);
            assertEquals(255 - 100, idx.get(198, 198, 1), 1.0);
            assertEquals(255 - 220, idx.get(198, 198, 2), 1.0);
            // Inside the 5% ramp (12.8 px): part way.
            int ramp = idx.get(198, 70 + 6, 0);
            assertTrue(ramp > 40 && ramp < 215, "feathered edge: " + ramp);
            // Outside the crop: untouched.
            assertEquals(40, idx.get(198, 60, 0));
            assertEquals(40, idx.get(50, 50, 0));
        }
    }

    @Test
    void aBgraFrameGetsTheSameColoursAsABgrFrameAndKeepsItsAlpha() {
        // Noise, not one colour: a pixel taken from the wrong place or channel on the BGRA path shows.
        try (FaceEnhancer e = FaceEnhancer.open(SyntheticModels.gpen256(), OrtConfig.cpu());
                Mat bgr = TestImages.noise(400, 11); Mat bgra = new Mat()) {
            opencv_imgproc.cvtColor(bgr, bgra, opencv_imgproc.COLOR_BGR2BGRA);
            try (Mat alpha = new Mat(400, 400, opencv_core.CV_8UC1, new Scalar(77))) {
                opencv_core.insertChannel(alpha, bgra, 3);
            }
            byte[] before = TestImages.bytes(bgr);
            float[] kps = kpsFor(256, SimilarityTransform.of(1.0, 0.05, 70, 60));
            e.enhance(bgr, kps, 0.8);
            e.enhance(bgra, kps, 0.8);
            assertFalse(Arrays.equals(before, TestImages.bytes(bgr)), "the enhancer changed the face");
            UByteIndexer a = bgr.createIndexer();
            UByteIndexer b = bgra.createIndexer();
            for (int y = 0; y < 400; y++) {
                for (int x = 0; x < 400; x++) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(a.get(y, x, c), b.get(y, x, c), "colour " + c + " at " + x + "," + y);
                    }
                    assertEquals(77, b.get(y, x, 3), "alpha at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void blendAmountZeroChangesNothingAndHalfMixes() {
        try (FaceEnhancer e = FaceEnhancer.open(SyntheticModels.gpen256(), OrtConfig.cpu());
                Mat frame = new Mat(400, 400, opencv_core.CV_8UC3, new Scalar(40, 100, 220, 0));
                Mat original = frame.clone()) {
            float[] kps = kpsFor(256, SimilarityTransform.of(1.0, 0, 70, 70));
            e.enhance(frame, kps, 0);
            try (Mat diff = new Mat()) {
                opencv_core.absdiff(frame, original, diff);
                assertEquals(0, opencv_core.countNonZero(diff.reshape(1, 0)));
            }
            e.enhance(frame, kps, 0.5);
            UByteIndexer idx = frame.createIndexer();
            assertEquals((40 + 215) / 2.0, idx.get(198, 198, 0), 1.0);
        }
    }

    @Test
    void anotherModelIsRefused() {
        UserFacingException x = assertThrows(UserFacingException.class,
                () -> FaceEnhancer.open(SyntheticModels.inswapper(), OrtConfig.cpu()));
        assertTrue(x.getMessage().contains("not a GFPGAN/GPEN face enhancer"), x.getMessage());
    }

    @Test
    void aModelWithAnImageInputButNoImageOutputIsRefusedWhenOpened() {
        // The 512-d recogniser takes [1, 3, 112, 112] like an enhancer, but gives [1, 512]: refused before any face.
        Path recognizer = SyntheticModels.recognizer512();
        UserFacingException x = assertThrows(UserFacingException.class,
                () -> FaceEnhancer.open(recognizer, OrtConfig.cpu()));
        assertTrue(x.getMessage().startsWith("model " + recognizer + " is not a GFPGAN/GPEN face enhancer (output "),
                x.getMessage());
        assertTrue(x.getMessage().contains("expected [1, 3, 112, 112] float like its input"), x.getMessage());
    }

    @Test
    void kindsParseByTheirCommandLineNames() {
        assertEquals(EnhancerKind.GFPGAN, EnhancerKind.parse("gfpgan"));
        assertEquals(EnhancerKind.GPEN256, EnhancerKind.parse("GPEN256"));
        assertEquals("GPEN-BFR-512", EnhancerKind.parse("gpen512").modelName());
        assertThrows(IllegalArgumentException.class, () -> EnhancerKind.parse("codeformer"));
    }
}
