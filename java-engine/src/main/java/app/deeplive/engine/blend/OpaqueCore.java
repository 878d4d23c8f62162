package app.deeplive.engine.blend;

import static org.bytedeco.opencv.global.opencv_core.minMaxLoc;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A large axis-aligned box inside 8-bit blend weights where every weight is 255, so the face can be copied there
 * instead of blended. The feathered mask's fully opaque part is convex, so the box is grown from the centre row
 * and column runs of 255, shrunk until its corners are 255, then checked pixel by pixel.
 */
final class OpaqueCore {
    /** Smaller boxes are not worth the extra calls. */
    private static final int MIN_SIDE = 32;

    private OpaqueCore() {}

    /**
     * The box in {@code weights}' coordinates, or {@code null} when there is none worth using.
     *
     * @param view a header to look at parts of the weights with (working memory)
     */
    static FaceRegion of(Mat weights, RegionView view) {
        int w = weights.cols(), h = weights.rows();
        int cx = w / 2, cy = h / 2;
        if (w < MIN_SIDE || h < MIN_SIDE) {
            return null;
        }
        // Plain reads through the data pointer: an indexer would be a few objects per frame.
        Weights idx = new Weights(weights.data(), weights.step());
        if (idx.get(cy, cx) != 255) {
            return null;
        }
        int left = cx, right = cx, top = cy, bottom = cy;
        while (left > 0 && idx.get(cy, left - 1) == 255) {
            left--;
        }
        while (right < w - 1 && idx.get(cy, right + 1) == 255) {
            right++;
        }
        while (top > 0 && idx.get(top - 1, cx) == 255) {
            top--;
        }
        while (bottom < h - 1 && idx.get(bottom + 1, cx) == 255) {
            bottom++;
        }
        // A rotated face's opaque part is a rotated square: shrink towards the centre until the corners fit.
        for (int step = 0; step < 40; step++) {
            if (right - left + 1 < MIN_SIDE || bottom - top + 1 < MIN_SIDE) {
                return null;
            }
            if (idx.get(top, left) == 255 && idx.get(top, right) == 255 && idx.get(bottom, left) == 255
                    && idx.get(bottom, right) == 255) {
                FaceRegion box = new FaceRegion(left, top, right - left + 1, bottom - top + 1);
                return allOpaque(view.of(weights, box)) ? box : null;
            }
            left += Math.max(1, (cx - left) / 16);
            right -= Math.max(1, (right - cx) / 16);
            top += Math.max(1, (cy - top) / 16);
            bottom -= Math.max(1, (bottom - cy) / 16);
        }
        return null;
    }

    /** Whether every weight in the part is 255 (one vectorised pass; a mouth hole, say, fails it). */
    private static boolean allOpaque(Mat part) {
        double[] min = new double[1];
        minMaxLoc(part, min, null, null, null, null);
        return min[0] == 255;
    }

    /** Row-major 8-bit weights read through their data pointer. */
    private record Weights(BytePointer data, long step) {
        int get(int row, int col) {
            return data.get(row * step + col) & 0xff;
        }
    }
}
