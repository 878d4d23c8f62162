package app.deeplive.engine.blend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** Sharpening, colour transfer and the enhancer's feather mask. */
class FaceAdjustmentsTest {
    @Test
    void sharpeningLeavesFlatAreasAndSteepensEdges() {
        try (Mat image = BlendTestImages.uniform(64, 100, 100, 100)) {
            try (UByteIndexer idx = image.createIndexer()) {
                for (int y = 0; y < 64; y++) {
                    for (int x = 32; x < 64; x++) {
                        idx.put(y, x, 0, 160);
                    }
                }
            }
            Sharpen.apply(image, 1.0);
            UByteIndexer idx = image.createIndexer();
            assertEquals(100, idx.get(32, 5, 0), "flat area unchanged");
            assertEquals(160, idx.get(32, 60, 0), "flat area unchanged");
            assertTrue(idx.get(32, 30, 0) < 100, "dark side of the edge gets darker");
            assertTrue(idx.get(32, 33, 0) > 160, "bright side of the edge gets brighter");
        }
        try (Mat image = BlendTestImages.pattern(64, 64, 3); Mat before = image.clone()) {
            Sharpen.apply(image, 0);
            assertEquals(0, BlendTestImages.maxDifference(image, before), "strength 0 is off");
        }
    }

    @Test
    void colourTransferGivesTheFaceTheReferencesLabStatistics() {
        try (Mat face = BlendTestImages.pattern(128, 128, 3); Mat reference = BlendTestImages.pattern(128, 128, 3)) {
            // A darker, warmer reference.
            reference.convertTo(reference, -1, 0.6, 0);
            opencv_core.add(reference, new Mat(128, 128, opencv_core.CV_8UC3,
                    new org.bytedeco.opencv.opencv_core.Scalar(0, 10, 40, 0)), reference);
            ColorTransfer.apply(face, reference);
            double[] f = labStats(face);
            double[] r = labStats(reference);
            for (int i = 0; i < 6; i++) {
                assertEquals(r[i], f[i], 2.0, "LAB statistic " + i);
            }
        }
    }

    @Test
    void aKeptColourTransferRecoloursFaceAfterFaceAsTheOneOffDoes() {
        try (Mat reference = BlendTestImages.pattern(128, 128, 3);
                Mat otherReference = BlendTestImages.uniform(128, 30, 90, 160);
                ColorTransfer kept = new ColorTransfer()) {
            reference.convertTo(reference, -1, 0.6, 20);
            for (Mat ref : new Mat[] {reference, otherReference, reference}) {
                try (Mat face = BlendTestImages.pattern(128, 128, 3); Mat expected = face.clone()) {
                    ColorTransfer.apply(expected, ref);
                    kept.recolour(face, ref);
                    assertEquals(0, BlendTestImages.maxDifference(expected, face));
                }
            }
        }
    }

    private static double[] labStats(Mat bgr) {
        try (Mat lab = new Mat(); Mat mean = new Mat(); Mat std = new Mat()) {
            opencv_imgproc.cvtColor(bgr, lab, opencv_imgproc.COLOR_BGR2Lab);
            opencv_core.meanStdDev(lab, mean, std);
            double[] out = new double[6];
            for (int c = 0; c < 3; c++) {
                out[c] = mean.ptr(c).getDouble();
                out[3 + c] = std.ptr(c).getDouble();
            }
            return out;
        }
    }

    @Test
    void featherMaskRampsLinearlyOverTheBorder() {
        try (Mat mask = FeatherMask.linear(200, 0.05)) {
            var idx = mask.<org.bytedeco.javacpp.indexer.FloatIndexer>createIndexer();
            assertEquals(1f, idx.get(100, 100), 0f);
            assertEquals(0.5f / 10f, idx.get(100, 0), 1e-6f);
            assertEquals(5.5f / 10f, idx.get(100, 5), 1e-6f);
            assertEquals(1f, idx.get(100, 10), 0f);
            assertEquals(0.5f / 10f, idx.get(199, 100), 1e-6f);
        }
    }
}
