package app.deeplive.engine.analysis.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

class SimilarityTransformTest {
    private static final float[] POINTS = FaceTemplate.ARCFACE_112.points();

    @Test
    void recoversAKnownTransformFromExactCorrespondences() {
        SimilarityTransform known = SimilarityTransform.of(2.75, Math.toRadians(-23), 311.5, -47.25);
        SimilarityTransform found = SimilarityTransform.estimate(POINTS, known.applyAll(POINTS));
        assertArrayEquals(known.matrix(), found.matrix(), 1e-4);
    }

    @Test
    void recoversTheTransformThatTakesFrameKeypointsToATemplate() {
        SimilarityTransform frameToTemplate = SimilarityTransform.of(0.4, Math.toRadians(170), 20, 90);
        float[] frameKps = frameToTemplate.inverse().applyAll(POINTS);
        assertArrayEquals(frameToTemplate.matrix(), FaceTemplate.ARCFACE_112.transformFrom(frameKps).matrix(), 1e-4);
    }

    @Test
    void isTheLeastSquaresFitForNoisyPoints() {
        SimilarityTransform known = SimilarityTransform.of(1.5, 0.3, 10, 20);
        float[] dst = known.applyAll(POINTS);
        float[] noise = {0.8f, -0.5f, -0.3f, 0.9f, 0.1f, -0.7f, -0.6f, 0.2f, 0.4f, 0.4f};
        for (int i = 0; i < dst.length; i++) {
            dst[i] += noise[i];
        }
        SimilarityTransform best = SimilarityTransform.estimate(POINTS, dst);
        double bestError = squaredError(best, dst);
        // Any small change of the four parameters must not fit better.
        double[] m = best.matrix();
        double[][] nudges = {{1e-3, 0, 0, 0}, {0, 1e-3, 0, 0}, {0, 0, 1e-2, 0}, {0, 0, 0, 1e-2}};
        for (double[] d : nudges) {
            for (int sign = -1; sign <= 1; sign += 2) {
                SimilarityTransform other = SimilarityTransform.of(
                        Math.hypot(m[0] + sign * d[0], m[3] + sign * d[1]),
                        Math.atan2(m[3] + sign * d[1], m[0] + sign * d[0]),
                        m[2] + sign * d[2], m[5] + sign * d[3]);
                assertTrue(squaredError(other, dst) > bestError, "a nudged transform fits better: " + other);
            }
        }
    }

    @Test
    void neverReflectsEvenForMirroredPoints() {
        float[] mirrored = POINTS.clone();
        for (int i = 0; i < mirrored.length; i += 2) {
            mirrored[i] = 200 - mirrored[i];
        }
        double[] m = SimilarityTransform.estimate(POINTS, mirrored).matrix();
        double determinant = m[0] * m[4] - m[1] * m[3];
        assertTrue(determinant >= 0, "determinant " + determinant);
    }

    @Test
    void inverseUndoesTheTransform() {
        SimilarityTransform t = SimilarityTransform.of(3.2, 1.1, -40, 75);
        double[] p = t.apply(12.5, -7.25);
        assertArrayEquals(new double[] {12.5, -7.25}, t.inverse().apply(p[0], p[1]), 1e-9);
        assertEquals(1 / 3.2, t.inverse().scale(), 1e-12);
    }

    @Test
    void toMatHoldsTheSameMatrixForWarpAffine() {
        SimilarityTransform t = SimilarityTransform.of(2, 0.5, 3, 4);
        double[] expected = t.matrix();
        try (Mat m = t.toMat(); DoubleIndexer idx = m.createIndexer()) {
            assertEquals(2, m.rows());
            assertEquals(3, m.cols());
            for (int i = 0; i < 6; i++) {
                assertEquals(expected[i], idx.get(i / 3, i % 3), 0);
            }
        }
    }

    @Test
    void rejectsPointSetsThatDefineNoTransform() {
        assertThrows(IllegalArgumentException.class, () -> SimilarityTransform.estimate(new float[] {1, 2}, new float[] {3, 4}));
        assertThrows(IllegalArgumentException.class, () -> SimilarityTransform.estimate(POINTS, new float[4]));
        assertThrows(IllegalArgumentException.class, () -> SimilarityTransform.estimate(new float[10], POINTS));
    }

    private static double squaredError(SimilarityTransform t, float[] dst) {
        float[] mapped = t.applyAll(POINTS);
        double e = 0;
        for (int i = 0; i < dst.length; i++) {
            e += (mapped[i] - dst[i]) * (double) (mapped[i] - dst[i]);
        }
        return e;
    }
}
