package app.deeplive.engine.blend;

import static org.bytedeco.opencv.global.opencv_core.ALGO_HINT_DEFAULT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_DEFAULT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_ISOLATED;
import static org.bytedeco.opencv.global.opencv_core.CV_32SC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.fillPoly;

import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Deep-Live-Cam's mouth mask: the original mouth is kept over the swapped face so speech looks natural. The mouth
 * polygon (2d106det points 52–63) is grown about its centre by (1 + 2s), points below the centre vertically by
 * (1 + 2s)², s = slider/100; its box is padded by 10%; the filled polygon is feathered with a Gaussian of size 2f+1,
 * f = max(1, min(30, min(w, h)/8)).
 *
 * <p>An instance keeps what {@link #keepOriginalMouth} works with (the polygon's points, the fill and blur arguments,
 * headers over the mouth box) from one face to the next; one instance serves one thread. Close it.
 */
public final class MouthMask implements AutoCloseable {
    public static final int FIRST_POINT = 52;
    public static final int POINTS = 12;

    private final Scalar black = new Scalar(0.0);
    private final Scalar white = new Scalar(255.0);
    private final Mat points = new Mat(); // n×1 CV_32SC2
    private IntPointer pointValues; // over points' memory, remade when it is
    private final MatVector contours = new MatVector(1);
    private final Size kernel = new Size();
    private final RegionView weightPart = new RegionView();
    private final RegionView mouthPart = new RegionView();

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
    public void keepOriginalMouth(Mat weights, FaceRegion region, float[] polygon, ScratchImage work) {
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
        mouth.put(black);
        int n = polygon.length / 2;
        if (points.rows() != n || pointValues == null) {
            points.create(n, 1, CV_32SC2);
            if (pointValues != null) {
                pointValues.close();
            }
            pointValues = new IntPointer(points.data());
        }
        for (int i = 0; i < n; i++) {
            pointValues.put(2L * i, Math.round(polygon[2 * i] - region.x() - x1));
            pointValues.put(2L * i + 1, Math.round(polygon[2 * i + 1] - region.y() - y1));
        }
        contours.put(0, points);
        fillPoly(mouth, contours, white);
        // Isolated: the mouth box alone, not the working memory around it.
        GaussianBlur(mouth, mouth, kernel.width(2 * feather + 1).height(2 * feather + 1), 0, 0,
                BORDER_DEFAULT | BORDER_ISOLATED, ALGO_HINT_DEFAULT);
        // weights · (255 − mouth) / 255: 0 wherever the mouth is fully kept.
        Mat weightsInMouth = weightPart.of(weights, cx1, cy1, cx2 - cx1, cy2 - cy1);
        Mat mouthInRegion = mouthPart.of(mouth, cx1 - x1, cy1 - y1, cx2 - cx1, cy2 - cy1);
        opencv_core.bitwise_not(mouthInRegion, mouthInRegion);
        opencv_core.multiply(weightsInMouth, mouthInRegion, weightsInMouth, 1.0 / 255.0, -1);
    }

    @Override
    public void close() {
        black.close();
        white.close();
        if (pointValues != null) {
            pointValues.close();
        }
        contours.close();
        points.close();
        kernel.close();
        weightPart.close();
        mouthPart.close();
    }
}
