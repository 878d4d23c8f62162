package app.deeplive.engine.live;

import app.deeplive.engine.analysis.Face;

/**
 * 2×3 affine matrices {@code [a b c; d e f]} (x' = a·x + b·y + c, y' = d·x + e·y + f) in caller-owned double[6]
 * arrays: fitting the similarity that takes five keypoints onto a template, inverting, composing. Allocation-free,
 * for the per-frame path.
 */
final class Affine {
    private Affine() {}

    /**
     * The least-squares similarity (rotation, uniform scale, translation; no reflection) taking the five points at
     * {@code src[srcOffset..+10]} onto {@code dst[0..10]}, written to {@code out}. In 2-D this closed form equals
     * Umeyama's estimate used by the reference implementations.
     */
    static void fitSimilarity(float[] src, int srcOffset, float[] dst, double[] out) {
        int n = Face.KEYPOINTS;
        double msx = 0, msy = 0, mdx = 0, mdy = 0;
        for (int i = 0; i < n; i++) {
            msx += src[srcOffset + 2 * i];
            msy += src[srcOffset + 2 * i + 1];
            mdx += dst[2 * i];
            mdy += dst[2 * i + 1];
        }
        msx /= n;
        msy /= n;
        mdx /= n;
        mdy /= n;
        double num = 0, cross = 0, var = 0;
        for (int i = 0; i < n; i++) {
            double x = src[srcOffset + 2 * i] - msx;
            double y = src[srcOffset + 2 * i + 1] - msy;
            double u = dst[2 * i] - mdx;
            double v = dst[2 * i + 1] - mdy;
            num += x * u + y * v;
            cross += x * v - y * u;
            var += x * x + y * y;
        }
        if (!(var > 1e-12)) {
            throw new IllegalArgumentException("keypoints coincide: no transform");
        }
        double a = num / var;
        double b = cross / var;
        out[0] = a;
        out[1] = -b;
        out[2] = mdx - (a * msx - b * msy);
        out[3] = b;
        out[4] = a;
        out[5] = mdy - (b * msx + a * msy);
    }

    /** {@code out} = the inverse of {@code m} ({@code out} may not be {@code m}). */
    static void invert(double[] m, double[] out) {
        double det = m[0] * m[4] - m[1] * m[3];
        if (!(Math.abs(det) > 1e-18)) {
            throw new IllegalArgumentException("singular transform");
        }
        out[0] = m[4] / det;
        out[1] = -m[1] / det;
        out[3] = -m[3] / det;
        out[4] = m[0] / det;
        out[2] = -(out[0] * m[2] + out[1] * m[5]);
        out[5] = -(out[3] * m[2] + out[4] * m[5]);
    }

    /** {@code out} = first {@code p} then {@code q} (q ∘ p); {@code out} may not be either. */
    static void then(double[] p, double[] q, double[] out) {
        out[0] = q[0] * p[0] + q[1] * p[3];
        out[1] = q[0] * p[1] + q[1] * p[4];
        out[2] = q[0] * p[2] + q[1] * p[5] + q[2];
        out[3] = q[3] * p[0] + q[4] * p[3];
        out[4] = q[3] * p[1] + q[4] * p[4];
        out[5] = q[3] * p[2] + q[4] * p[5] + q[5];
    }
}
