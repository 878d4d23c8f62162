package app.deeplive.engine.analysis.detect;

import java.util.Arrays;

/**
 * Greedy non-maximum suppression as in the SCRFD reference: visit boxes by falling score, keep one unless it
 * overlaps an already kept box by more than the threshold. Areas use the +1 pixel convention.
 */
final class Nms {
    private Nms() {}

    /**
     * Indices of the boxes kept, highest score first.
     *
     * @param boxes {@code count} boxes as x1, y1, x2, y2
     */
    static int[] keep(float[] boxes, float[] scores, int count, float iouThreshold) {
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        boolean[] suppressed = new boolean[count];
        int[] kept = new int[count];
        int n = 0;
        for (int oi = 0; oi < count; oi++) {
            int i = order[oi];
            if (suppressed[i]) {
                continue;
            }
            kept[n++] = i;
            for (int oj = oi + 1; oj < count; oj++) {
                int j = order[oj];
                if (!suppressed[j] && iou(boxes, i, j) > iouThreshold) {
                    suppressed[j] = true;
                }
            }
        }
        return Arrays.copyOf(kept, n);
    }

    static float iou(float[] b, int i, int j) {
        float ix1 = Math.max(b[4 * i], b[4 * j]);
        float iy1 = Math.max(b[4 * i + 1], b[4 * j + 1]);
        float ix2 = Math.min(b[4 * i + 2], b[4 * j + 2]);
        float iy2 = Math.min(b[4 * i + 3], b[4 * j + 3]);
        float inter = Math.max(0, ix2 - ix1 + 1) * Math.max(0, iy2 - iy1 + 1);
        return inter / (area(b, i) + area(b, j) - inter);
    }

    private static float area(float[] b, int i) {
        return (b[4 * i + 2] - b[4 * i] + 1) * (b[4 * i + 3] - b[4 * i + 1] + 1);
    }
}
