package app.deeplive.engine.swap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxJavaType;
import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.testing.SyntheticModels;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The inswapper_128 contract, proven on the synthetic model whose output is clip(target + 4·latent[c]). */
class InSwapperTest {
    static FaceSwapper fp32;
    static FaceSwapper fp16;

    @BeforeAll
    static void load() {
        fp32 = FaceSwapper.open(SyntheticModels.inswapper(), OrtConfig.cpu());
        fp16 = FaceSwapper.open(SyntheticModels.inswapperFp16(), OrtConfig.cpu());
    }

    @AfterAll
    static void close() {
        if (fp32 != null) {
            fp32.close();
        }
        if (fp16 != null) {
            fp16.close();
        }
    }

    /** A deterministic unit "ArcFace" embedding (the production recogniser is 512-d; the shared test one is 128-d). */
    static float[] embedding(int seed) {
        float[] e = new float[512];
        double n = 0;
        for (int i = 0; i < 512; i++) {
            e[i] = (float) Math.cos(seed * 1.7 + i * 0.05 * (seed + 1));
            n += e[i] * e[i];
        }
        for (int i = 0; i < 512; i++) {
            e[i] /= (float) Math.sqrt(n);
        }
        return e;
    }

    @Test
    void latentIsTheNormalisedProductOfEmbeddingAndEmap() {
        float[] e = embedding(3);
        double[] expected = new double[512];
        for (int j = 0; j < 512; j++) {
            for (int i = 0; i < 512; i++) {
                expected[j] += e[i] * (double) SyntheticModels.emap(i, j);
            }
        }
        double norm = Math.sqrt(java.util.Arrays.stream(expected).map(v -> v * v).sum());
        float[] latent = fp32.latent(e);
        for (int j = 0; j < 512; j++) {
            assertEquals(expected[j] / norm, latent[j], 1e-5, "latent[" + j + "]");
        }
    }

    @Test
    void theCropIsTheFaceWarpedOntoTheShiftedArcFaceTemplate() {
        float[] template = {46.2946f, 51.6963f, 81.5318f, 51.5014f, 64.0252f, 71.7366f, 49.5493f, 92.3655f, 78.7299f, 92.2041f};
        assertArrayEquals(template, FaceSwapper.TEMPLATE.points(), 1e-4f);
        // Keypoints placed by a known similarity from crop to frame: the crop transform must be exactly its inverse.
        SimilarityTransform cropToFrame = SimilarityTransform.of(2.3, 0.3, 400, 250);
        float[] kps = cropToFrame.applyAll(template);
        SimilarityTransform frameToCrop = fp32.cropTransform(kps);
        double[] expected = cropToFrame.inverse().matrix();
        double[] actual = frameToCrop.matrix();
        for (int i = 0; i < 6; i++) {
            assertEquals(expected[i], actual[i], 1e-4, "matrix[" + i + "]");
        }
        try (Mat frame = gradientFrame(900, 700); Mat crop = fp32.crop(frame, frameToCrop);
                Mat reference = new Mat(); Mat m = cropToFrame.inverse().toMat()) {
            opencv_imgproc.warpAffine(frame, reference, m, new Size(128, 128));
            assertEquals(128, crop.rows());
            assertEquals(128, crop.cols());
            assertTrue(maxDifference(crop, reference) <= 1, "crop differs from the reference warp");
        }
    }

    @Test
    void outputIsTheModelsRgbResultBackInBgr() {
        float[] latent = fp32.latent(embedding(5));
        try (Mat frame = gradientFrame(128, 128); Mat out = fp32.swap(frame, latent)) {
            UByteIndexer in = frame.createIndexer();
            UByteIndexer o = out.createIndexer();
            for (int y = 0; y < 128; y += 9) {
                for (int x = 0; x < 128; x += 7) {
                    for (int rgb = 0; rgb < 3; rgb++) {
                        int bgr = 2 - rgb;
                        double v = in.get(y, x, bgr) / 255.0 + SyntheticModels.SWAP_GAIN * latent[rgb];
                        long expected = Math.round(Math.min(1, Math.max(0, v)) * 255);
                        assertEquals(expected, o.get(y, x, bgr), 1.0, "pixel " + x + "," + y + " channel " + bgr);
                    }
                }
            }
        }
    }

    @Test
    void fp16AndFp32ModelsAgree() {
        assertEquals(OnnxJavaType.FLOAT16, fp16.targetType());
        assertEquals(OnnxJavaType.FLOAT, fp32.targetType());
        float[] e = embedding(7);
        float[] l32 = fp32.latent(e);
        float[] l16 = fp16.latent(e);
        for (int j = 0; j < 512; j++) {
            assertEquals(l32[j], l16[j], 2e-3, "latent " + j);
        }
        try (Mat frame = gradientFrame(128, 128); Mat a = fp32.swap(frame, l32); Mat b = fp16.swap(frame, l16)) {
            assertTrue(maxDifference(a, b) <= 2, "fp16 and fp32 results differ by " + maxDifference(a, b));
        }
    }

    @Test
    void aModelOfAnotherKindIsRefusedWithAClearMessage() {
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> FaceSwapper.open(SyntheticModels.landmarks106(), OrtConfig.cpu()));
        assertTrue(e.getMessage().contains("is not a face swapper"), e.getMessage());
    }

    @Test
    void aRecogniserOfTheWrongSizeIsAClearError() {
        UserFacingException e = assertThrows(UserFacingException.class, () -> fp32.latent(new float[128]));
        assertTrue(e.getMessage().contains("512-d"), e.getMessage());
    }

    /** A smooth, asymmetric colour pattern so misplaced pixels show. */
    static Mat gradientFrame(int width, int height) {
        Mat m = new Mat(height, width, opencv_core.CV_8UC3);
        UByteIndexer idx = m.createIndexer();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                idx.put(y, x, 0, (x * 255 / width));
                idx.put(y, x, 1, (y * 255 / height));
                idx.put(y, x, 2, ((x + 2 * y) / 3) % 256);
            }
        }
        idx.close();
        return m;
    }

    static int maxDifference(Mat a, Mat b) {
        try (Mat diff = new Mat()) {
            opencv_core.absdiff(a, b, diff);
            double[] max = new double[1];
            try (Mat flat = diff.reshape(1, 0)) {
                opencv_core.minMaxLoc(flat, null, max, null, null, null);
            }
            return (int) max[0];
        }
    }
}
