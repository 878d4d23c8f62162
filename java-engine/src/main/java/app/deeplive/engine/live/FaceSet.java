package app.deeplive.engine.live;

import app.deeplive.engine.analysis.Face;
import java.util.List;

/**
 * The faces of one frame as flat, preallocated arrays (box x1 y1 x2 y2, score, five keypoints), so passing faces
 * from stage to stage allocates nothing. Holds at most {@link #capacity()} faces; extra ones are ignored (largest
 * first is the caller's choice of order).
 */
public final class FaceSet {
    private final float[] boxes;
    private final float[] scores;
    private final float[] kps;
    private int count;

    public FaceSet(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a face set holds at least one face, not " + capacity);
        }
        boxes = new float[4 * capacity];
        scores = new float[capacity];
        kps = new float[2 * Face.KEYPOINTS * capacity];
    }

    public int capacity() {
        return scores.length;
    }

    public int count() {
        return count;
    }

    public void clear() {
        count = 0;
    }

    /** Adds a face; returns false (and ignores it) when full. */
    public boolean add(float x1, float y1, float x2, float y2, float score, float[] keypoints, int kpsOffset) {
        if (count == scores.length) {
            return false;
        }
        int b = 4 * count;
        boxes[b] = x1;
        boxes[b + 1] = y1;
        boxes[b + 2] = x2;
        boxes[b + 3] = y2;
        scores[count] = score;
        System.arraycopy(keypoints, kpsOffset, kps, 10 * count, 10);
        count++;
        return true;
    }

    /** Replaces the contents with {@code faces} (up to capacity). */
    public void setAll(List<Face> faces) {
        clear();
        for (Face f : faces) {
            if (!add(f.box().x1(), f.box().y1(), f.box().x2(), f.box().y2(), f.score(), f.kps(), 0)) {
                return;
            }
        }
    }

    /** Makes this set a copy of {@code other}. */
    public void copyFrom(FaceSet other) {
        int n = Math.min(other.count, capacity());
        System.arraycopy(other.boxes, 0, boxes, 0, 4 * n);
        System.arraycopy(other.scores, 0, scores, 0, n);
        System.arraycopy(other.kps, 0, kps, 0, 10 * n);
        count = n;
    }

    /** Scales every face's box and keypoints by {@code k} about the origin (from one image resolution to another). */
    public void scale(float k) {
        for (int i = 0; i < 4 * count; i++) {
            boxes[i] *= k;
        }
        for (int i = 0; i < 10 * count; i++) {
            kps[i] *= k;
        }
    }

    /** Moves face {@code i} (box and keypoints) by (dx, dy). */
    public void translate(int i, float dx, float dy) {
        check(i);
        boxes[4 * i] += dx;
        boxes[4 * i + 1] += dy;
        boxes[4 * i + 2] += dx;
        boxes[4 * i + 3] += dy;
        for (int p = 0; p < Face.KEYPOINTS; p++) {
            kps[10 * i + 2 * p] += dx;
            kps[10 * i + 2 * p + 1] += dy;
        }
    }

    public float x1(int i) {
        check(i);
        return boxes[4 * i];
    }

    public float y1(int i) {
        check(i);
        return boxes[4 * i + 1];
    }

    public float x2(int i) {
        check(i);
        return boxes[4 * i + 2];
    }

    public float y2(int i) {
        check(i);
        return boxes[4 * i + 3];
    }

    public float score(int i) {
        check(i);
        return scores[i];
    }

    /** The shared keypoint array: face i's ten coordinates start at {@link #kpsOffset(int)}. Do not keep it. */
    public float[] kpsArray() {
        return kps;
    }

    public int kpsOffset(int i) {
        check(i);
        return 10 * i;
    }

    private void check(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("face " + i + " of " + count);
        }
    }
}
