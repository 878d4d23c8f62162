package app.deeplive.engine.live;

import java.nio.ByteBuffer;

/**
 * Follows faces between detections: at each detection it keeps a small grey patch of every face (16×16 samples
 * over its box); on a later frame it searches a window around the last position for the best match by normalised
 * cross-correlation, moves the face's box and keypoints by that offset, and reports how sure it is (the weakest
 * face's correlation) and how far faces moved (as a fraction of their width). A match at the window's edge counts as
 * a fast move. Matching always compares with the patch taken at detection, so errors do not accumulate. Everything is
 * preallocated; not thread-safe.
 */
final class PatchTracker {
    static final int PATCH = 16;
    /** Search radius in patch samples: follows moves up to 4/16 of a face's width per frame. */
    static final int RADIUS = 4;

    private final int maxFaces;
    private final float[] templates;
    private final float[] candidate = new float[PATCH * PATCH];
    private final float[] dx;
    private final float[] dy;
    private double weakestConfidence;
    private double largestStep;

    PatchTracker(int maxFaces) {
        this.maxFaces = maxFaces;
        this.templates = new float[maxFaces * PATCH * PATCH];
        this.dx = new float[maxFaces];
        this.dy = new float[maxFaces];
    }

    /** Takes the reference patches of freshly detected {@code faces}. */
    void reset(ByteBuffer px, int width, int height, int stride, int bpp, FaceSet faces) {
        for (int i = 0; i < Math.min(faces.count(), maxFaces); i++) {
            sample(px, width, height, stride, bpp, faces, i, 0, 0, templates, i * PATCH * PATCH);
            normalise(templates, i * PATCH * PATCH);
        }
    }

    /**
     * Moves {@code faces} to where they are in this frame. Afterwards {@link #weakestConfidence()} and
     * {@link #largestStep()} describe the result.
     */
    void track(ByteBuffer px, int width, int height, int stride, int bpp, FaceSet faces) {
        weakestConfidence = 1;
        largestStep = 0;
        int n = Math.min(faces.count(), maxFaces);
        for (int i = 0; i < n; i++) {
            float stepX = (faces.x2(i) - faces.x1(i)) / PATCH;
            float stepY = (faces.y2(i) - faces.y1(i)) / PATCH;
            double best = -2;
            int bestX = 0;
            int bestY = 0;
            for (int oy = -RADIUS; oy <= RADIUS; oy++) {
                for (int ox = -RADIUS; ox <= RADIUS; ox++) {
                    sample(px, width, height, stride, bpp, faces, i, ox * stepX, oy * stepY, candidate, 0);
                    double score = correlate(i);
                    // Ties go to the smaller move, so a still face stays still.
                    if (score > best + 1e-6 || (Math.abs(score - best) <= 1e-6
                            && Math.abs(ox) + Math.abs(oy) < Math.abs(bestX) + Math.abs(bestY))) {
                        best = score;
                        bestX = ox;
                        bestY = oy;
                    }
                }
            }
            dx[i] = bestX * stepX;
            dy[i] = bestY * stepY;
            faces.translate(i, dx[i], dy[i]);
            weakestConfidence = Math.min(weakestConfidence, best);
            boolean atEdge = Math.abs(bestX) == RADIUS || Math.abs(bestY) == RADIUS;
            double step = atEdge ? Double.POSITIVE_INFINITY : Math.hypot(bestX, bestY) / PATCH;
            largestStep = Math.max(largestStep, step);
        }
    }

    double weakestConfidence() {
        return weakestConfidence;
    }

    double largestStep() {
        return largestStep;
    }

    /** Mean-free, unit-length grey samples of face i's box shifted by (ox, oy), nearest pixel, edge-clamped. */
    private static void sample(ByteBuffer px, int width, int height, int stride, int bpp, FaceSet faces, int i,
            float ox, float oy, float[] out, int offset) {
        float x1 = faces.x1(i) + ox;
        float y1 = faces.y1(i) + oy;
        float sx = (faces.x2(i) - faces.x1(i)) / PATCH;
        float sy = (faces.y2(i) - faces.y1(i)) / PATCH;
        for (int v = 0; v < PATCH; v++) {
            int y = Math.max(0, Math.min(height - 1, (int) (y1 + (v + 0.5f) * sy)));
            for (int u = 0; u < PATCH; u++) {
                int x = Math.max(0, Math.min(width - 1, (int) (x1 + (u + 0.5f) * sx)));
                int p = y * stride + x * bpp;
                out[offset + v * PATCH + u] = (px.get(p) & 0xff) + (px.get(p + 1) & 0xff) + (px.get(p + 2) & 0xff);
            }
        }
    }

    private static void normalise(float[] a, int offset) {
        int n = PATCH * PATCH;
        double mean = 0;
        for (int k = 0; k < n; k++) {
            mean += a[offset + k];
        }
        mean /= n;
        double norm = 0;
        for (int k = 0; k < n; k++) {
            a[offset + k] -= (float) mean;
            norm += a[offset + k] * a[offset + k];
        }
        // A flat patch has no texture to follow; a tiny norm keeps its correlation at 0 instead of NaN.
        float inv = (float) (1 / Math.sqrt(Math.max(norm, 1e-6)));
        for (int k = 0; k < n; k++) {
            a[offset + k] *= inv;
        }
    }

    private double correlate(int face) {
        normalise(candidate, 0);
        int base = face * PATCH * PATCH;
        double dot = 0;
        for (int k = 0; k < PATCH * PATCH; k++) {
            dot += candidate[k] * templates[base + k];
        }
        return dot;
    }
}
