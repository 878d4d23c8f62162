package app.deeplive.engine.analysis;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * One detected face in frame coordinates: its box, the detector's confidence, five keypoints and, once recognised,
 * its identity embedding. Immutable: the arrays are copied in and out.
 *
 * <p>Keypoints are {@link #KEYPOINTS} (x, y) pairs flattened as {@code [x0, y0, x1, y1, …]} in the order left eye,
 * right eye, nose, left mouth corner, right mouth corner, where left and right are as seen in the image.
 *
 * @param embedding L2-normalised identity vector, or {@code null} when the face has not been recognised
 */
public record Face(BoundingBox box, float score, float[] kps, float[] embedding) {
    /** Faces by the area of their box: the source photo's person and the one face followed are the largest. */
    public static final Comparator<Face> BY_AREA = Comparator.comparingDouble(f -> f.box().area());

    public static final int KEYPOINTS = 5;
    public static final int LEFT_EYE = 0;
    public static final int RIGHT_EYE = 1;
    public static final int NOSE = 2;
    public static final int LEFT_MOUTH = 3;
    public static final int RIGHT_MOUTH = 4;

    public Face {
        Objects.requireNonNull(box, "box");
        Objects.requireNonNull(kps, "kps");
        if (kps.length != 2 * KEYPOINTS) {
            throw new IllegalArgumentException("expected " + 2 * KEYPOINTS + " keypoint coordinates, got " + kps.length);
        }
        kps = kps.clone();
        embedding = embedding == null ? null : embedding.clone();
    }

    /** A face not yet recognised. */
    public Face(BoundingBox box, float score, float[] kps) {
        this(box, score, kps, null);
    }

    /** The same face with its identity embedding (expected L2-normalised). */
    public Face withEmbedding(float[] normedEmbedding) {
        return new Face(box, score, kps, Objects.requireNonNull(normedEmbedding, "embedding"));
    }

    /** The ten keypoint coordinates, a copy. */
    @Override
    public float[] kps() {
        return kps.clone();
    }

    /** The embedding, a copy, or {@code null}. */
    @Override
    public float[] embedding() {
        return embedding == null ? null : embedding.clone();
    }

    public boolean hasEmbedding() {
        return embedding != null;
    }

    public float kpX(int point) {
        return kps[2 * point];
    }

    public float kpY(int point) {
        return kps[2 * point + 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Face f
                && box.equals(f.box)
                && Float.compare(score, f.score) == 0
                && Arrays.equals(kps, f.kps)
                && Arrays.equals(embedding, f.embedding);
    }

    @Override
    public int hashCode() {
        return Objects.hash(box, score, Arrays.hashCode(kps), Arrays.hashCode(embedding));
    }

    @Override
    public String toString() {
        return "Face[box=" + box + ", score=" + score + ", kps=" + Arrays.toString(kps)
                + (embedding == null ? "" : ", embedding=" + embedding.length + "-d") + "]";
    }
}
