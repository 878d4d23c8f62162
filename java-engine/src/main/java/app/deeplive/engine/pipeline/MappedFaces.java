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
 * that matched no one (a bystander, or a mapped person turned away) is looked at again later, as it may turn towards
 * the camera, but at most {@link #RETRIES_PER_WINDOW} of them per window of {@code detect_every} frames: the largest
 * such face (most likely the person the mapping is for) and the one that has waited longest. Recognising every
 * bystander on every detection round stalled the analysis stage (docs/performance.md, "Face mapping"), and with a
 * fast detector a round is every frame. New faces are never held back by that budget. Not thread-safe: the analysis
 * stage's.
 */
final class MappedFaces {
    /** Faces that matched no one looked at again per window of {@code detect_every} frames, at most. */
    static final int RETRIES_PER_WINDOW = 2;

    /** A decision and what it was based on: another mapping list means deciding again. */
    private record Decision(List<FaceMapping> basis, Identity source, long window) {}

    private final Consumer<String> warnOnce;
    private long budgetWindow = -1; // the window retriesLeft belongs to
    private int retriesLeft;

    /** @param warnOnce where a problem with the mapping goes (logged once per message) */
    MappedFaces(Consumer<String> warnOnce) {
        this.warnOnce = warnOnce;
    }

    /**
     * Adds to {@code out}, in the tracks' order, each face that a mapping matches, with the source it gets; returns
     * how many faces it recognised.
     *
     * @param window the frame's window: frames are grouped {@code detect_every} at a time
     */
    int select(Mat image, List<Track> tracks, SwapSettings settings, ArcFaceRecognizer recognizer, long window,
            List<FrameWork.Target> out) {
        if (recognizer == null) {
            warnOnce.accept("face mappings need a recogniser; no face is swapped");
            return 0;
        }
        if (window != budgetWindow) {
            budgetWindow = window;
            retriesLeft = RETRIES_PER_WINDOW;
        }
        int recognised = 0;
        for (Track track : tracks) { // new faces, or a new mapping list: at once, whatever the budget
            if (track.missed() == 0 && decisionOf(track, settings) == null) {
                decide(image, track, settings, recognizer, window);
                recognised++;
            }
        }
        // Then faces that matched no one, within the window's budget: first the largest (most likely the person the
        // mapping is for, turned away at first, nearest the camera), then whoever has waited longest.
        while (retriesLeft > 0) {
            Track next = waiting(tracks, settings, window, retriesLeft == RETRIES_PER_WINDOW);
            if (next == null) {
                break;
            }
            retriesLeft--;
            decide(image, next, settings, recognizer, window);
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
     * The face to look at again: seen in the latest detection round, matched no one, last looked at in an earlier
     * window; the largest such face, or the one looked at longest ago. Null when there is none.
     */
    private static Track waiting(List<Track> tracks, SwapSettings settings, long window, boolean largest) {
        Track best = null;
        for (Track track : tracks) {
            Decision d = decisionOf(track, settings);
            if (track.missed() > 0 || d == null || d.source() != null || d.window() >= window) {
                continue;
            }
            if (best == null || (largest ? track.face().box().area() > best.face().box().area()
                    : d.window() < decisionOf(best, settings).window())) {
                best = track;
            }
        }
        return best;
    }

    /** The track's decision for this mapping list, or null when it has none yet. */
    private static Decision decisionOf(Track track, SwapSettings settings) {
        return track.assignment() instanceof Decision d && d.basis().equals(settings.mappings()) ? d : null;
    }

    private void decide(Mat image, Track track, SwapSettings settings, ArcFaceRecognizer recognizer, long window) {
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
        track.assign(new Decision(settings.mappings(), best, window));
    }
}
