package app.deeplive.engine.pipeline;

import app.deeplive.engine.analysis.recognize.ArcFaceRecognizer;
import app.deeplive.engine.swap.Identity;
import app.deeplive.engine.track.Track;
import java.util.List;
import java.util.function.Consumer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Face mapping's decisions: the source each tracked face gets, by its embedding against the mappings' references.
 * A face is recognised when it is first seen (or the mapping list changes), and a match sticks to its track. A face
 * that matched no one (a bystander, or a mapped person turned away) is looked at again on later detection rounds, as
 * it may turn towards the camera, but at most {@link #RETRIES_PER_ROUND} of them per round: the largest such face
 * (most likely the person the mapping is for) and the one that has waited longest. Recognising every bystander on
 * every round stalled the analysis stage (docs/performance.md, "Face mapping"). New faces are never held back by
 * that budget. Not thread-safe: the analysis stage's.
 */
final class MappedFaces {
    /** Bystanders looked at again per detection round, at most. */
    static final int RETRIES_PER_ROUND = 2;

    /** A decision and what it was based on: another mapping list means deciding again. */
    private record Decision(List<FaceMapping> basis, Identity source, long round) {}

    private final Consumer<String> warnOnce;
    private long budgetRound = -1; // the round retriesLeft belongs to
    private int retriesLeft;

    /** @param warnOnce where a problem with the mapping goes (logged once per message) */
    MappedFaces(Consumer<String> warnOnce) {
        this.warnOnce = warnOnce;
    }

    /**
     * Adds to {@code out}, in the tracks' order, each face that a mapping matches, with the source it gets; returns
     * how many faces it recognised.
     *
     * @param round the detection round, which advances each time the detector's faces reach the tracks
     */
    int select(Mat image, List<Track> tracks, SwapSettings settings, ArcFaceRecognizer recognizer, long round,
            List<FrameWork.Target> out) {
        if (recognizer == null) {
            warnOnce.accept("face mappings need a recogniser; no face is swapped");
            return 0;
        }
        if (round != budgetRound) { // the budget is the round's, not each frame's: a round spans detect_every frames
            budgetRound = round;
            retriesLeft = RETRIES_PER_ROUND;
        }
        int recognised = 0;
        for (Track track : tracks) { // new faces, or a new mapping list: at once, whatever the budget
            if (track.missed() == 0 && decisionOf(track, settings) == null) {
                decide(image, track, settings, recognizer, round);
                recognised++;
            }
        }
        // Then faces that matched no one, within the round's budget: first the largest (most likely the person the
        // mapping is for, turned away at first, nearest the camera), then whoever has waited longest.
        while (retriesLeft > 0) {
            Track next = waiting(tracks, settings, round, retriesLeft == RETRIES_PER_ROUND);
            if (next == null) {
                break;
            }
            retriesLeft--;
            decide(image, next, settings, recognizer, round);
            recognised++;
        }
        for (Track track : tracks) {
            Decision d = decisionOf(track, settings);
            if (d != null && d.source() != null) {
                out.add(new FrameWork.Target(track.face(), d.source()));
            }
        }
        return recognised;
    }

    /**
     * The face to look at again: seen this round, matched no one, last looked at in an earlier round; the largest
     * such face, or the one looked at longest ago. Null when there is none.
     */
    private static Track waiting(List<Track> tracks, SwapSettings settings, long round, boolean largest) {
        Track best = null;
        for (Track track : tracks) {
            Decision d = decisionOf(track, settings);
            if (track.missed() > 0 || d == null || d.source() != null || d.round() >= round) {
                continue;
            }
            if (best == null || (largest ? track.face().box().area() > best.face().box().area()
                    : d.round() < decisionOf(best, settings).round())) {
                best = track;
            }
        }
        return best;
    }

    /** The track's decision for this mapping list, or null when it has none yet. */
    private static Decision decisionOf(Track track, SwapSettings settings) {
        return track.assignment() instanceof Decision d && d.basis().equals(settings.mappings()) ? d : null;
    }

    private void decide(Mat image, Track track, SwapSettings settings, ArcFaceRecognizer recognizer, long round) {
        float[] embedding = recognizer.embed(image, track.face().kps());
        track.recognised(embedding);
        Identity best = null;
        double bestScore = settings.mappingThreshold();
        for (FaceMapping m : settings.mappings()) {
            if (m.reference().dimension() != embedding.length) {
                warnOnce.accept("a mapping reference is " + m.reference().dimension() + "-d but the recogniser gives "
                        + embedding.length + "-d embeddings; make references with the same recogniser");
                continue;
            }
            double score = m.reference().cosine(embedding);
            if (score >= bestScore) {
                bestScore = score;
                best = m.source();
            }
        }
        track.assign(new Decision(settings.mappings(), best, round));
    }
}
