package app.deeplive.engine.blend;

import static org.bytedeco.opencv.global.opencv_core.ALGO_HINT_DEFAULT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_DEFAULT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_ISOLATED;
import static org.bytedeco.opencv.global.opencv_core.CV_32SC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.fillPoly;

import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Deep-Live-Cam's mouth mask: the original mouth is kept over the swapped face so speech looks natural. The mouth
 * polygon (2d106det points 52–63) is grown about its centre by (1 + 2s), points below the centre vertically by
 * (1 + 2s)², s = slider/100; its box is padded by 10%; the filled polygon is feathered with a Gaussian of size 2f+1,
 * f = max(1, min(30, min(w, h)/8)).
 */
public final class MouthMask {
    public static final int FIRST_POINT = 52;
    public static final int POINTS = 12;

    private MouthMask() {}

    /** The grown polygon, flattened (x, y), from the 106 landmarks in frame coordinates. */
    public static float[] polygon(float[] landmarks106, int slider) {
        if (landmarks106.length != 212) {
            throw new IllegalArgumentException("expected 106 landmarks, got " + landmarks106.length / 2);
        }
        double s = Math.max(0, Math.min(100, slider)) / 100.0;
        double grow = 1 + 2 * s;
        double cx = 0, cy = 0;
        for (int i = 0; i < POINTS; i++) {
            cx += landmarks106[2 * (FIRST_POINT + i)];
            cy += landmarks106[2 * (FIRST_POINT + i) + 1];
        }
        cx /= POINTS;
        cy /= POINTS;
        float[] out = new float[2 * POINTS];
        for (int i = 0; i < POINTS; i++) {
            double dx = landmarks106[2 * (FIRST_POINT + i)] - cx;
            double dy = landmarks106[2 * (FIRST_POINT + i) + 1] - cy;
            out[2 * i] = (float) (cx + dx * grow);
            out[2 * i + 1] = (float) (cy + dy * (dy > 0 ? grow * grow : grow)); // the jaw drops when speaking
        }
        return out;
    }

    /**
     * Lowers {@code weights} (the face's 8-bit blend weights over {@code region}) to 0 where the mouth is, with the
     * feathered edge, so the original mouth shows through.
     *
     * @param work working memory for the mouth's box (kept from frame to frame)
     */
    public static void keepOriginalMouth(Mat weights, FaceRegion region, float[] polygon, ScratchImage work) {
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (int i = 0; i < polygon.length; i += 2) {
            minX = Math.min(minX, polygon[i]);
            maxX = Math.max(maxX, polygon[i]);
            minY = Math.min(minY, polygon[i + 1]);
            maxY = Math.max(maxY, polygon[i + 1]);
        }
        double w = maxX - minX, h = maxY - minY;
        if (!(w > 0 && h > 0)) {
            return;
        }
        int feather = (int) Math.max(1, Math.min(30, Math.min(w, h) / 8));
        // The padded box in region coordinates, with room for the feather.
        int x1 = (int) Math.floor(minX - 0.1 * w) - feather - region.x();
        int y1 = (int) Math.floor(minY - 0.1 * h) - feather - region.y();
        int x2 = (int) Math.ceil(maxX + 0.1 * w) + feather + 1 - region.x();
        int y2 = (int) Math.ceil(maxY + 0.1 * h) + feather + 1 - region.y();
        int bw = x2 - x1, bh = y2 - y1;
        // Clip the mouth box to the region; nothing to do when they do not meet.
        int cx1 = Math.max(0, x1), cy1 = Math.max(0, y1);
        int cx2 = Math.min(region.width(), x2), cy2 = Math.min(region.height(), y2);
        if (bw <= 0 || bh <= 0 || cx2 <= cx1 || cy2 <= cy1) {
            return;
        }
        Mat mouth = work.get(bh, bw, CV_8U);
        try (Scalar black = new Scalar(0.0); Mat pts = new Mat(polygon.length / 2, 1, CV_32SC2);
                MatVector contours = new MatVector(); Scalar white = new Scalar(255.0)) {
            mouth.put(black);
            try (IntIndexer idx = pts.createIndexer()) {
                for (int i = 0; i < polygon.length / 2; i++) {
                    idx.put(i, 0, 0, Math.round(polygon[2 * i] - region.x() - x1));
                    idx.put(i, 0, 1, Math.round(polygon[2 * i + 1] - region.y() - y1));
                }
            }
            contours.push_back(pts);
            fillPoly(mouth, contours, white);
        }
        try (Size k = new Size(2 * feather + 1, 2 * feather + 1)) {
            // Isolated: the mouth box alone, not the working memory around it.
            GaussianBlur(mouth, mouth, k, 0, 0, BORDER_DEFAULT | BORDER_ISOLATED, ALGO_HINT_DEFAULT);
        }
        // weights · (255 − mouth) / 255: 0 wherever the mouth is fully kept.
        try (Rect inRegion = new Rect(cx1, cy1, cx2 - cx1, cy2 - cy1);
                Rect inMouth = new Rect(cx1 - x1, cy1 - y1, cx2 - cx1, cy2 - cy1);
                Mat weightPart = new Mat(weights, inRegion);
                Mat mouthPart = new Mat(mouth, inMouth)) {
            opencv_core.bitwise_not(mouthPart, mouthPart);
            opencv_core.multiply(weightPart, mouthPart, weightPart, 1.0 / 255.0, -1);
        }
    }
}
