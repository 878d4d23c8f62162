package app.deeplive.engine.blend;

import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import app.deeplive.engine.analysis.align.SimilarityTransform;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The part of a frame a square crop covers once warped back (its corners' bounding box plus a margin, clipped to the
 * frame). All compositing happens in a Mat of this size: warping into it with the crop-to-frame transform shifted by
 * the region's origin computes only the face's pixels, never the whole frame.
 */
public record FaceRegion(int x, int y, int width, int height) {
    /** Extra pixels around the warped corners, for bilinear taps at the edge. */
    public static final int MARGIN = 2;

    /**
     * The region covered by a {@code cropSize}² crop under {@code cropToFrame}, or {@code null} when it lies outside
     * the {@code frameWidth}×{@code frameHeight} frame.
     */
    public static FaceRegion of(SimilarityTransform cropToFrame, int cropSize, int frameWidth, int frameHeight) {
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        double[] m = cropToFrame.matrix(); // one array per face, not one per corner (what apply() gives)
        for (int corner = 0; corner < 4; corner++) {
            double u = (corner & 1) * cropSize, v = (corner >> 1) * cropSize;
            double px = m[0] * u + m[1] * v + m[2], py = m[3] * u + m[4] * v + m[5];
            minX = Math.min(minX, px);
            maxX = Math.max(maxX, px);
            minY = Math.min(minY, py);
            maxY = Math.max(maxY, py);
        }
        if (!Double.isFinite(minX + maxX + minY + maxY)) {
            return null;
        }
        int x1 = (int) Math.max(0, Math.floor(minX) - MARGIN);
        int y1 = (int) Math.max(0, Math.floor(minY) - MARGIN);
        int x2 = (int) Math.min(frameWidth, Math.ceil(maxX) + MARGIN + 1);
        int y2 = (int) Math.min(frameHeight, Math.ceil(maxY) + MARGIN + 1);
        if (x2 <= x1 || y2 <= y1) {
            return null;
        }
        return new FaceRegion(x1, y1, x2 - x1, y2 - y1);
    }

    public Rect rect() {
        return new Rect(x, y, width, height);
    }

    /** A header over this region of {@code frame} (shares its memory); close it. */
    public Mat of(Mat frame) {
        try (Rect r = rect()) {
            return new Mat(frame, r);
        }
    }

    /** Whether (px, py) in frame coordinates lies in the region. */
    public boolean contains(int px, int py) {
        return px >= x && py >= y && px < x + width && py < y + height;
    }

    /**
     * Warps a crop into {@code out}, region-sized: pixel (u, v) is frame pixel (x + u, y + v). Makes its matrix and
     * arguments per call; the per-frame paths use {@code image.AffineWarp}.
     *
     * @param interpolation an OpenCV INTER_* flag
     */
    public void warpFromCrop(Mat crop, SimilarityTransform cropToFrame, int interpolation, Mat out) {
        try (Mat m = cropToFrame.toMat(); Size size = new Size(width, height); Scalar zero = new Scalar(0.0)) {
            try (DoubleIndexer idx = m.createIndexer()) {
                idx.put(0, 2, idx.get(0, 2) - x);
                idx.put(1, 2, idx.get(1, 2) - y);
            }
            warpAffine(crop, out, m, size, interpolation, org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT, zero);
        }
    }
}
