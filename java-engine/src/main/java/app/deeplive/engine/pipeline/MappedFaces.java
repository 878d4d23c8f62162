package app.deeplive.engine.pipeline;

import app.deeplive.engine.analysis.recognize.ArcFaceRecognizer;
import app.deeplive.engine.swap.Identity;
import app.deeplive.engine.track.Track;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Face mapping's decisions: the source each tracked face gets, by its embedding against the mappings' references.
 * A face is recognised when it is first seen (or the mapping list changes), and a match sticks to its track. A face
 * that matched no one (a bystander, or a mapped person turned away) is looked at again on later detection rounds, as
 * it may turn towards the camera, but at most {@link #RETRIES_PER_ROUND} of them per round, the longest-waiting
 * first: recognising every bystander on every round stalled the analysis stage (docs/performance.md, "Face
 * mapping"). New faces are never held back by that budget. Not thread-safe: the analysis stage's.
 */
final class MappedFaces {
    /** Bystanders looked at again per detection round, at most. */
    static final int RETRIES_PER_ROUND = 2;

    /** A decision and what it was based on: another mapping list means deciding again. */
    private record Decision(List<FaceMapping> basis, Identity source, long round) {}

    /** Faces never decided first, then the oldest decision first. */
    private static final Comparator<Track> LONGEST_WAITING_FIRST =
            Comparator.comparingLong(t -> t.assignment() instanceof Decision d ? d.round() : -1);

    private final Consumer<String> warnOnce;
    private final List<Track> lookOrder = new ArrayList<>(); // reused: no allocation per frame
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
        lookOrder.clear();
        lookOrder.addAll(tracks);
        lookOrder.sort(LONGEST_WAITING_FIRST);
        if (round != budgetRound) { // the budget is the round's, not each frame's: a round spans detect_every frames
            budgetRound = round;
            retriesLeft = RETRIES_PER_ROUND;
        }
        int recognised = 0;
        for (Track track : lookOrder) {
            if (track.missed() > 0) {
                continue; // not seen this round: nothing new to look at
            }
            Decision d = decisionOf(track, settings);
            if (d == null) {
                decide(image, track, settings, recognizer, round);
                recognised++;
            } else if (d.source() == null && d.round() < round && retriesLeft > 0) {
                retriesLeft--;
                decide(image, track, settings, recognizer, round);
                recognised++;
            }
        }
        lookOrder.clear();
        for (Track track : tracks) {
            Decision d = decisionOf(track, settings);
            if (d != null && d.source() != null) {
                out.add(new FrameWork.Target(track.face(), d.source()));
            }
        }
        return recognised;
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
