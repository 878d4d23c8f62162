package app.deeplive.engine.swap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.testing.SyntheticModels;
import java.util.List;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * FaceFusion's HyperSwap contract, proven on the synthetic model whose output is clip(target + 4·source[c], −1, 1)
 * (target in [−1, 1]) and which has a second, mask output: the family is told by the 256-px target, the source is
 * the normed embedding itself (no emap), the crop is inswapper's template at twice the scale, and the face comes back
 * from [−1, 1] to BGR.
 */
class HyperSwapTest {
    static FaceSwapper hyperswap;

    @BeforeAll
    static void load() {
        hyperswap = FaceSwapper.open(SyntheticModels.hyperswap(), OrtConfig.cpu());
    }

    @AfterAll
    static void close() {
        if (hyperswap != null) {
            hyperswap.close();
        }
    }

    @Test
    void aModelWithA256PixelTargetIsAHyperSwapModel() {
        assertEquals(SwapperFamily.HYPERSWAP, hyperswap.family());
        assertEquals(256, hyperswap.size());
    }

    @Test
    void theSourceIsTheL2NormalisedEmbeddingItself() {
        float[] unit = InSwapperTest.embedding(3);
        float[] doubled = new float[512];
        for (int i = 0; i < 512; i++) {
            doubled[i] = 2 * unit[i];
        }
        assertArrayEquals(unit, hyperswap.latent(unit), 1e-6f, "a normed embedding goes in unchanged");
        assertArrayEquals(unit, hyperswap.latent(doubled), 1e-6f, "any other length is normalised");
    }

    @Test
    void theCropIsInswappersTemplateAtTwiceTheScale() {
        float[] template256 = FaceSwapper.TEMPLATE.points().clone();
        for (int i = 0; i < template256.length; i++) {
            template256[i] *= 2; // FaceFusion's arcface_128 template (normalised) times 256
        }
        SimilarityTransform cropToFrame = SimilarityTransform.of(1.4, -0.25, 350, 180);
        SimilarityTransform frameToCrop = hyperswap.cropTransform(cropToFrame.applyAll(template256));
        double[] expected = cropToFrame.inverse().matrix();
        double[] actual = frameToCrop.matrix();
        for (int i = 0; i < 6; i++) {
            assertEquals(expected[i], actual[i], 1e-4, "matrix[" + i + "]");
        }
        try (Mat frame = InSwapperTest.gradientFrame(900, 700); Mat crop = hyperswap.crop(frame, frameToCrop);
                Mat reference = new Mat(); Mat m = frameToCrop.toMat()) {
            opencv_imgproc.warpAffine(frame, reference, m, new Size(256, 256));
            assertEquals(256, crop.rows());
            assertTrue(InSwapperTest.maxDifference(crop, reference) <= 1, "crop differs from the reference warp");
        }
    }

    @Test
    void theFaceIsTheModelsFirstOutputFromMinusOneToOneBackInBgr() {
        float[] source = InSwapperTest.embedding(5);
        float[] latent = hyperswap.latent(source);
        try (Mat crop = InSwapperTest.gradientFrame(256, 256); Mat out = hyperswap.swap(crop, latent)) {
            assertExpected(crop, latent, out);
        }
    }

    @Test
    void severalFacesGiveWhatEachGivesAlone() {
        try (Mat a = InSwapperTest.gradientFrame(256, 256); Mat b = new Mat()) {
            opencv_imgproc.GaussianBlur(a, b, new Size(9, 9), 3);
            float[] la = hyperswap.latent(InSwapperTest.embedding(1));
            float[] lb = hyperswap.latent(InSwapperTest.embedding(2));
            List<Mat> out = hyperswap.swapAll(List.of(a, b), List.of(la, lb));
            try {
                assertExpected(a, la, out.get(0));
                assertExpected(b, lb, out.get(1));
            } finally {
                out.forEach(Mat::close);
            }
        }
    }

    /** Every pixel: BGR → RGB in [−1, 1], + 4·source[c], clipped, back to 8-bit BGR, within rounding. */
    private static void assertExpected(Mat crop, float[] latent, Mat out) {
        assertEquals(256, out.rows());
        assertEquals(256, out.cols());
        UByteIndexer in = crop.createIndexer();
        UByteIndexer o = out.createIndexer();
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                for (int rgb = 0; rgb < 3; rgb++) {
                    int bgr = 2 - rgb;
                    double v = in.get(y, x, bgr) / 127.5 - 1 + SyntheticModels.SWAP_GAIN * latent[rgb];
                    long expected = Math.round((Math.min(1, Math.max(-1, v)) + 1) * 127.5);
                    assertEquals(expected, o.get(y, x, bgr), 1.0, "pixel " + x + "," + y + " channel " + bgr);
                }
            }
        }
    }
}
