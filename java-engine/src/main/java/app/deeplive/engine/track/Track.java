package app.deeplive.engine.track;

import app.deeplive.engine.analysis.BoundingBox;
import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.analysis.align.SimilarityTransform;

/**
 * One person followed across frames: a stable id, where the face is measured to be (the latest detection, moved
 * frame by frame by its optical flow), the smoothed face the pipeline swaps, how many detection rounds in a row it
 * was not seen, a short history of its positions (to bring a late detection forward), and what the pipeline decided
 * for it (an opaque tag, e.g. the mapped source). Owns its {@link FaceFlow}'s buffers until the tracker closes it.
 */
public final class Track implements AutoCloseable {
    /** Frames of positions kept: a detection round older than this cannot be brought forward and is dropped. */
    public static final int HISTORY = 64;

    private final long id;
    private final KeypointSmoother smoother;
    private final FaceFlow flow = new FaceFlow();
    private final long[] historyFrame = new long[HISTORY];
    private final float[][] historyKps = new float[HISTORY][];
    private final BoundingBox[] historyBox = new BoundingBox[HISTORY];
    private int historySize;
    private int historyNext;
    private float[] measuredKps;
    private BoundingBox measuredBox;
    private float score;
    private float[] embedding;
    private Face face;
    private int missed;
    private double confidence = 1;
    private Object assignment;
    private boolean assigned;

    Track(long id, Face detection, TrackerSettings settings) {
        this.id = id;
        this.smoother = new KeypointSmoother(settings.minCutoff(), settings.beta(), settings.derivativeCutoff());
        measure(detection);
        smoother.smooth(measuredKps, 0);
        face = detection;
    }

    public long id() {
        return id;
    }

    /** The face as tracked: keypoints smoothed, box following them, the detector's score, any embedding. */
    public Face face() {
        return face;
    }

    /** Detection rounds since the face was last seen (0 when seen in the latest). */
    public int missed() {
        return missed;
    }

    /** The optical flow's confidence in the latest move (1 after a detection, 0 when the flow lost the face). */
    public double confidence() {
        return confidence;
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

    /** The same face with an embedding, kept for the rest of the track's life. */
    public void recognised(float[] normedEmbedding) {
        embedding = normedEmbedding;
        face = face.withEmbedding(normedEmbedding);
    }

    /** The detector saw this face (already brought forward to the current frame). */
    void seen(Face detection) {
        measure(detection);
        missed = 0;
        confidence = 1;
    }

    /** A detection round went by without this face. */
    void notSeen() {
        missed++;
    }

    /** The optical flow moved the face into the current frame (or lost it: it stays where it was). */
    void moved(FaceMotion motion) {
        confidence = motion.confidence();
        if (!motion.lost()) {
            measuredKps = motion.transform().applyAll(measuredKps);
            measuredBox = transform(measuredBox, motion.transform());
        }
    }

    /** The measured keypoints and box in frame {@code frame}, or null if that frame is not in the history. */
    float[] keypointsAt(long frame) {
        int i = historyIndex(frame);
        return i < 0 ? null : historyKps[i];
    }

    BoundingBox boxAt(long frame) {
        int i = historyIndex(frame);
        return i < 0 ? null : historyBox[i];
    }

    float[] measuredKeypoints() {
        return measuredKps;
    }

    BoundingBox measuredBox() {
        return measuredBox;
    }

    FaceFlow flow() {
        return flow;
    }

    /**
     * Ends the current frame: the measured position is smoothed into {@link #face()} ({@code dtSeconds} after the
     * previous frame) and remembered as frame {@code frame}'s.
     */
    void settle(long frame, double dtSeconds) {
        float[] smooth = smoother.smooth(measuredKps, dtSeconds);
        // The box moves with the keypoints' smoothing so crops stay consistent with them.
        float dx = 0, dy = 0;
        for (int i = 0; i < smooth.length; i += 2) {
            dx += smooth[i] - measuredKps[i];
            dy += smooth[i + 1] - measuredKps[i + 1];
        }
        dx /= Face.KEYPOINTS;
        dy /= Face.KEYPOINTS;
        BoundingBox b = measuredBox;
        Face smoothed = new Face(new BoundingBox(b.x1() + dx, b.y1() + dy, b.x2() + dx, b.y2() + dy), score, smooth);
        face = embedding == null ? smoothed : smoothed.withEmbedding(embedding);
        historyFrame[historyNext] = frame;
        historyKps[historyNext] = measuredKps;
        historyBox[historyNext] = measuredBox;
        historyNext = (historyNext + 1) % HISTORY;
        historySize = Math.min(HISTORY, historySize + 1);
    }

    @Override
    public void close() {
        flow.close();
    }

    @Override
    public String toString() {
        return "Track[" + id + ", missed " + missed + ", " + face.box() + "]";
    }

    private void measure(Face detection) {
        measuredKps = detection.kps();
        measuredBox = detection.box();
        score = detection.score();
        if (detection.hasEmbedding()) {
            embedding = detection.embedding();
        }
    }

    private int historyIndex(long frame) {
        for (int k = 1; k <= historySize; k++) {
            int i = Math.floorMod(historyNext - k, HISTORY);
            if (historyFrame[i] == frame) {
                return i;
            }
        }
        return -1;
    }

    /** A box moved by a similarity: its centre mapped, its sides scaled (it stays axis-aligned). */
    static BoundingBox transform(BoundingBox b, SimilarityTransform t) {
        double[] c = t.apply(b.centreX(), b.centreY());
        double hw = b.width() * t.scale() / 2, hh = b.height() * t.scale() / 2;
        return new BoundingBox((float) (c[0] - hw), (float) (c[1] - hh), (float) (c[0] + hw), (float) (c[1] + hh));
    }
}
