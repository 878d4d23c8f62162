package app.deeplive.engine.analysis.detect;

import app.deeplive.engine.analysis.BoundingBox;
import app.deeplive.engine.analysis.Face;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns SCRFD outputs into faces: every anchor scoring at least the threshold becomes a box (distances to the four
 * sides) and five keypoints (offsets), all in units of the stride from the anchor centre (col·stride, row·stride),
 * divided by the letterbox scale into frame pixels; then non-maximum suppression. Candidate storage is reused.
 */
final class ScrfdDecoder {
    private float[] boxes = new float[4 * 64];
    private float[] kps = new float[10 * 64];
    private float[] scores = new float[64];
    private int count;

    /** Faces in frame coordinates, highest score first. */
    List<Face> decode(List<ScrfdOutputs.Level> levels, float scale, float scoreThreshold, float nmsThreshold) {
        count = 0;
        for (ScrfdOutputs.Level level : levels) {
            collect(level, scale, scoreThreshold);
        }
        int[] kept = Nms.keep(boxes, scores, count, nmsThreshold);
        List<Face> faces = new ArrayList<>(kept.length);
        for (int i : kept) {
            BoundingBox box = new BoundingBox(boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]);
            faces.add(new Face(box, scores[i], Arrays.copyOfRange(kps, 10 * i, 10 * i + 10)));
        }
        return faces;
    }

    private void collect(ScrfdOutputs.Level level, float scale, float threshold) {
        FloatBuffer s = level.scores();
        FloatBuffer b = level.boxes();
        FloatBuffer k = level.kps();
        int stride = level.stride();
        int n = level.rowsOfOutput();
        for (int i = 0; i < n; i++) {
            float score = s.get(i);
            if (score < threshold) {
                continue;
            }
            int cell = i / level.anchors();
            float cx = (cell % level.cols()) * stride;
            float cy = (cell / level.cols()) * stride;
            grow();
            int o = 4 * count;
            boxes[o] = (cx - b.get(4 * i) * stride) / scale;
            boxes[o + 1] = (cy - b.get(4 * i + 1) * stride) / scale;
            boxes[o + 2] = (cx + b.get(4 * i + 2) * stride) / scale;
            boxes[o + 3] = (cy + b.get(4 * i + 3) * stride) / scale;
            for (int p = 0; p < 5; p++) {
                kps[10 * count + 2 * p] = (cx + k.get(10 * i + 2 * p) * stride) / scale;
                kps[10 * count + 2 * p + 1] = (cy + k.get(10 * i + 2 * p + 1) * stride) / scale;
            }
            scores[count++] = score;
        }
    }

    private void grow() {
        if (count == scores.length) {
            scores = Arrays.copyOf(scores, 2 * count);
            boxes = Arrays.copyOf(boxes, 8 * count);
            kps = Arrays.copyOf(kps, 20 * count);
        }
    }
}
