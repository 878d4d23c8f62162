package app.deeplive.engine.analysis.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NmsTest {
    @Test
    void keepsTheBestOfOverlappingBoxesAndAllSeparateOnesHighestFirst() {
        float[] boxes = {
            0, 0, 9, 9, // 0: score 0.6
            1, 1, 10, 10, // 1: overlaps 0 heavily, score 0.9
            50, 50, 59, 59, // 2: alone, score 0.7
            0, 0, 9, 19, // 3: IoU 0.43 with 1 (and 0.5 with 0, which 1 already suppressed), score 0.5
        };
        float[] scores = {0.6f, 0.9f, 0.7f, 0.5f};
        assertArrayEquals(new int[] {1, 2}, Nms.keep(boxes, scores, 4, 0.4f));
        assertArrayEquals(new int[] {1, 2, 3}, Nms.keep(boxes, scores, 4, 0.45f));
    }

    @Test
    void usesThePlusOnePixelAreaConvention() {
        // Two 10×10-pixel boxes (x 0..9) sharing 5 columns: IoU = 50 / (100 + 100 − 50) = 1/3.
        float[] boxes = {0, 0, 9, 9, 5, 0, 14, 9};
        assertEquals(1f / 3f, Nms.iou(boxes, 0, 1), 1e-6f);
    }

    @Test
    void nothingInNothingOut() {
        assertArrayEquals(new int[0], Nms.keep(new float[0], new float[0], 0, 0.4f));
    }
}
