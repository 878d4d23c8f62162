package app.deeplive.engine.analysis.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import app.deeplive.engine.analysis.BoundingBox;
import app.deeplive.engine.analysis.Face;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScrfdDecoderTest {
    /** Stride 8 on a 16×16 input: 2×2 cells, 2 anchors each, rows ordered cell-major. */
    private static ScrfdOutputs.Level level(float[] scores, float[] boxes, float[] kps) {
        return new ScrfdOutputs.Level(8, 2, 2, FloatBuffer.wrap(scores), FloatBuffer.wrap(boxes), FloatBuffer.wrap(kps));
    }

    @Test
    void decodesDistancesFromTheAnchorCentreInStridesAndUndoesTheLetterboxScale() {
        float[] scores = new float[8];
        float[] boxes = new float[32];
        float[] kps = new float[80];
        scores[5] = 0.9f; // row 5 = cell 2 (second anchor) = column 0, row 1 = centre (0, 8)
        System.arraycopy(new float[] {1, 1, 2, 2}, 0, boxes, 20, 4);
        System.arraycopy(new float[] {-1, -0.5f, 1, -0.5f, 0, 0, -0.5f, 1, 0.5f, 1}, 0, kps, 50, 10);
        List<Face> faces = new ScrfdDecoder().decode(List.of(level(scores, boxes, kps)), 0.5f, 0.5f, 0.4f);
        assertEquals(1, faces.size());
        Face f = faces.get(0);
        assertEquals(0.9f, f.score());
        // (0 − 8, 8 − 8, 0 + 16, 8 + 16) / 0.5
        assertEquals(new BoundingBox(-16, 0, 32, 48), f.box());
        assertArrayEquals(new float[] {-16, 8, 16, 8, 0, 16, -8, 32, 8, 32}, f.kps());
    }

    @Test
    void dropsAnchorsBelowTheThresholdAndSuppressesOverlapsKeepingTheBest() {
        float[] scores = {0.49f, 0.8f, 0.7f, 0, 0, 0, 0, 0.6f};
        float[] boxes = new float[32];
        Arrays.fill(boxes, 1); // every box is the 16×16 square around its centre
        float[] kps = new float[80];
        List<Face> faces = new ScrfdDecoder().decode(List.of(level(scores, boxes, kps)), 1f, 0.5f, 0.4f);
        // Rows 1 and 2 are cells 0 and 1 (centres (0,0) and (8,0)): IoU 153/425 = 0.36 keeps both; row 7 is cell 3.
        assertEquals(3, faces.size());
        assertEquals(0.8f, faces.get(0).score());
        assertEquals(0.7f, faces.get(1).score());
        assertEquals(0.6f, faces.get(2).score());
        List<Face> strict = new ScrfdDecoder().decode(List.of(level(scores, boxes, kps)), 1f, 0.5f, 0.3f);
        assertEquals(2, strict.size(), "at NMS 0.3 the 0.7 face overlaps the 0.8 one too much");
    }
}
