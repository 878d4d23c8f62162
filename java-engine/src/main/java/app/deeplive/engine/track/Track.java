package app.deeplive.engine.track;

import app.deeplive.engine.analysis.BoundingBox;
import app.deeplive.engine.analysis.Face;

/**
 * One person followed across frames: a stable id, the latest (smoothed) face, how many detection rounds in a row
 * it was not seen, and what the pipeline decided for it (an opaque tag, e.g. the mapped source).
 */
public final class Track {
    private final long id;
    private final KeypointSmoother smoother;
    private Face face;
    private int missed;
    private Object assignment;
    private boolean assigned;

    Track(long id, Face face, TrackerSettings settings) {
        this.id = id;
        this.face = face;
        this.smoother = new KeypointSmoother(settings.minCutoff(), settings.beta(), settings.derivativeCutoff());
        smoother.smooth(face.kps(), 0);
    }

    public long id() {
        return id;
    }

    /** The face as tracked: the last detection's box and score, keypoints smoothed. */
    public Face face() {
        return face;
    }

    /** Detection rounds since the face was last seen (0 when seen in the latest). */
    public int missed() {
        return missed;
    }

    /** Whether the pipeline has recorded a decision for this track (see {@link #assign}). */
    public boolean isAssigned() {
        return assigned;
    }

    /** The recorded decision (may be null: "decided: leave this face alone"). */
    public Object assignment() {
        return assignment;
    }

    /** Records the pipeline's decision for this person, kept for the track's life. */
    public void assign(Object value) {
        this.assignment = value;
        this.assigned = true;
    }

    void seen(Face detection, double dtSeconds) {
        float[] raw = detection.kps();
        float[] smooth = smoother.smooth(raw, dtSeconds);
        // The box moves with the keypoints' smoothing so crops stay consistent with them.
        float dx = 0, dy = 0;
        for (int i = 0; i < raw.length; i += 2) {
            dx += smooth[i] - raw[i];
            dy += smooth[i + 1] - raw[i + 1];
        }
        dx /= Face.KEYPOINTS;
        dy /= Face.KEYPOINTS;
        BoundingBox b = detection.box();
        BoundingBox box = new BoundingBox(b.x1() + dx, b.y1() + dy, b.x2() + dx, b.y2() + dy);
        Face smoothed = new Face(box, detection.score(), smooth);
        float[] embedding = detection.hasEmbedding() ? detection.embedding() : face.embedding();
        face = embedding == null ? smoothed : smoothed.withEmbedding(embedding);
        missed = 0;
    }

    void notSeen() {
        missed++;
    }

    /** The same face with an embedding, kept for the rest of the track's life. */
    public void recognised(float[] embedding) {
        face = face.withEmbedding(embedding);
    }

    @Override
    public String toString() {
        return "Track[" + id + ", missed " + missed + ", " + face.box() + "]";
    }
}
