package app.deeplive.engine.analysis.align;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;

import java.util.Arrays;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A 2-D similarity transform (rotation, uniform scale, translation; never a reflection) as the 2×3 matrix
 * {@code [a, -b, tx; b, a, ty]}, mapping (x, y) to (a·x − b·y + tx, b·x + a·y + ty).
 */
public final class SimilarityTransform {
    private final double a;
    private final double b;
    private final double tx;
    private final double ty;

    private SimilarityTransform(double a, double b, double tx, double ty) {
        this.a = a;
        this.b = b;
        this.tx = tx;
        this.ty = ty;
    }

    /** The transform scaling by {@code scale}, rotating by {@code radians} (counter-clockwise in x-right/y-up terms), then translating. */
    public static SimilarityTransform of(double scale, double radians, double tx, double ty) {
        return new SimilarityTransform(scale * Math.cos(radians), scale * Math.sin(radians), tx, ty);
    }

    /**
     * The least-squares similarity mapping the points {@code srcXY} onto {@code dstXY} (Umeyama 1991, reflection
     * excluded), both flattened {@code [x0, y0, x1, y1, …]}. In 2-D Umeyama's solution has a closed form: with both point
     * sets centred, a = Σ(s·d)/Σ|s|² and b = Σ(s×d)/Σ|s|².
     *
     * @throws IllegalArgumentException if the arrays differ in length, hold fewer than two points, or the source
     *     points all coincide
     */
    public static SimilarityTransform estimate(float[] srcXY, float[] dstXY) {
        if (srcXY.length != dstXY.length || srcXY.length % 2 != 0 || srcXY.length < 4) {
            throw new IllegalArgumentException("need two equally long lists of at least two (x, y) points, got "
                    + srcXY.length + " and " + dstXY.length + " values");
        }
        return estimate(srcXY, dstXY, srcXY.length / 2);
    }

    /** {@link #estimate(float[], float[])} over the first {@code n} points of each array (kept buffers). */
    public static SimilarityTransform estimate(float[] srcXY, float[] dstXY, int n) {
        if (n < 2 || 2 * n > srcXY.length || 2 * n > dstXY.length) {
            throw new IllegalArgumentException("need at least two points, and arrays holding " + n);
        }
        double sx = 0, sy = 0, dx = 0, dy = 0;
        for (int i = 0; i < n; i++) {
            sx += srcXY[2 * i];
            sy += srcXY[2 * i + 1];
            dx += dstXY[2 * i];
            dy += dstXY[2 * i + 1];
        }
        sx /= n;
        sy /= n;
        dx /= n;
        dy /= n;
        double dot = 0, cross = 0, norm = 0;
        for (int i = 0; i < n; i++) {
            double px = srcXY[2 * i] - sx, py = srcXY[2 * i + 1] - sy;
            double qx = dstXY[2 * i] - dx, qy = dstXY[2 * i + 1] - dy;
            dot += px * qx + py * qy;
            cross += px * qy - py * qx;
            norm += px * px + py * py;
        }
        if (norm < 1e-12) {
            throw new IllegalArgumentException("source points coincide; no similarity transform is defined");
        }
        double a = dot / norm;
        double b = cross / norm;
        return new SimilarityTransform(a, b, dx - (a * sx - b * sy), dy - (b * sx + a * sy));
    }

    /** The row-major 2×3 matrix {@code [m00, m01, m02, m10, m11, m12]}. */
    public double[] matrix() {
        return new double[] {a, -b, tx, b, a, ty};
    }

    /** The uniform scale factor. */
    public double scale() {
        return Math.hypot(a, b);
    }

    /** The rotation angle in radians. */
    public double rotation() {
        return Math.atan2(b, a);
    }

    /** This transform, then every coordinate multiplied by {@code k}: the same crop at k times the pixels. */
    public SimilarityTransform scaledBy(double k) {
        return new SimilarityTransform(k * a, k * b, k * tx, k * ty);
    }

    public SimilarityTransform inverse() {
        double s2 = a * a + b * b;
        double ia = a / s2;
        double ib = -b / s2;
        return new SimilarityTransform(ia, ib, -(ia * tx - ib * ty), -(ib * tx + ia * ty));
    }

    /** The image of (x, y), as {@code {x', y'}}. */
    public double[] apply(double x, double y) {
        return new double[] {a * x - b * y + tx, b * x + a * y + ty};
    }

    /** Maps flattened (x, y) points, returning a new array. */
    public float[] applyAll(float[] xy) {
        float[] out = new float[xy.length];
        for (int i = 0; i + 1 < xy.length; i += 2) {
            out[i] = (float) (a * xy[i] - b * xy[i + 1] + tx);
            out[i + 1] = (float) (b * xy[i] + a * xy[i + 1] + ty);
        }
        return out;
    }

    /** A new 2×3 CV_64F matrix for {@code warpAffine}; the caller closes it. */
    public Mat toMat() {
        Mat m = new Mat(2, 3, CV_64F);
        try (DoubleIndexer idx = m.createIndexer()) {
            idx.put(0, 0, a).put(0, 1, -b).put(0, 2, tx);
            idx.put(1, 0, b).put(1, 1, a).put(1, 2, ty);
        }
        return m;
    }

    @Override
    public String toString() {
        return "SimilarityTransform" + Arrays.toString(matrix());
    }
}
