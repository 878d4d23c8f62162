package app.deeplive.engine.track;

import app.deeplive.engine.analysis.BoundingBox;
import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.image.FrameView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Follows faces across frames. Every frame, each face is moved by its optical flow ({@link FaceFlow}); when a
 * detection round comes, its faces are matched to the tracks by box overlap (greedy, best overlap first) and
 * replace the flow's estimate. A round may be from an earlier frame (detection running beside the pipeline): each
 * track's motion since that frame, from its position history, brings the detections forward before they are used.
 * Keypoints are smoothed per track with One-Euro filters; new faces start new tracks; a track that goes unseen is
 * kept for a few rounds before it is dropped, so a face the detector misses once is still swapped, and a person
 * leaving never hands their track to someone else. Not thread-safe: one tracker per video stream.
 */
public final class FaceTracker implements AutoCloseable {
    private final TrackerSettings settings;
    private final List<Track> tracks = new ArrayList<>();
    private long nextId = 1;
    private long lastNanos = Long.MIN_VALUE;
    private long lastFrame;

    public FaceTracker(TrackerSettings settings) {
        this.settings = settings;
    }

    public TrackerSettings settings() {
        return settings;
    }

    /**
     * Takes one frame: the faces are followed into it by optical flow, then {@code round}'s detections (if any) are
     * brought forward to it and matched, the positions smoothed, and the flow prepared for the next frame.
     *
     * @param frame the frame's pixels (null: no flow, positions change only with detections)
     * @param timestampNanos the frame's time (any monotonic clock), for the smoothing
     * @param frameNumber increasing per frame; detection rounds name the frame they looked at
     * @param round detections to take now (possibly of an earlier frame), or null
     * @return the live tracks after the update, oldest first
     */
    public List<Track> advance(FrameView frame, long timestampNanos, long frameNumber, DetectionRound round) {
        if (frame != null && settings.opticalFlow() && !(round != null && round.frame() == frameNumber)) {
            follow(frame);
        }
        return take(frame, timestampNanos, frameNumber, round);
    }

    /**
     * The first half of {@link #advance}: moves every face into {@code frame} by its optical flow.
     *
     * @return how well that went: a reason to ask for a detection now
     */
    public TrackingQuality follow(FrameView frame) {
        double confidence = 1, speed = 0;
        for (Track t : tracks) {
            FaceMotion m = t.flow().follow(frame);
            t.moved(m);
            confidence = Math.min(confidence, m.confidence());
            speed = Math.max(speed, m.speed());
        }
        return tracks.isEmpty() ? TrackingQuality.NOT_FOLLOWED : new TrackingQuality(confidence, speed);
    }

    /** The second half of {@link #advance}: takes the round, smooths, and prepares the flow for the next frame. */
    public List<Track> take(FrameView frame, long timestampNanos, long frameNumber, DetectionRound round) {
        double dt = lastNanos == Long.MIN_VALUE ? 0 : (timestampNanos - lastNanos) / 1e9;
        lastNanos = timestampNanos;
        lastFrame = frameNumber;
        if (round != null) {
            match(round, frameNumber);
        }
        tracks.removeIf(t -> {
            boolean gone = t.missed() > settings.maxMissed();
            if (gone) {
                t.close();
            }
            return gone;
        });
        for (Track t : tracks) {
            t.settle(frameNumber, dt);
            if (frame != null && settings.opticalFlow()) {
                t.flow().seed(frame, t.measuredBox());
            }
        }
        return List.copyOf(tracks);
    }

    /** Takes one detection round in a frame of its own, without pixels (no flow). */
    public List<Track> update(List<Face> detections, long timestampNanos) {
        long frame = lastFrame + 1;
        return advance(null, timestampNanos, frame, new DetectionRound(frame, detections, 0));
    }

    /** The live tracks, oldest first. */
    public List<Track> tracks() {
        return List.copyOf(tracks);
    }

    /** Forgets every track (a new scene or stream). */
    public void reset() {
        tracks.forEach(Track::close);
        tracks.clear();
        lastNanos = Long.MIN_VALUE;
    }

    /** Frees the tracks' flow buffers. */
    @Override
    public void close() {
        reset();
    }

    /** Intersection over union of two boxes. */
    public static double iou(BoundingBox a, BoundingBox b) {
        double w = Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1());
        double h = Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1());
        if (w <= 0 || h <= 0) {
            return 0;
        }
        double inter = w * h;
        double union = (double) a.width() * a.height() + (double) b.width() * b.height() - inter;
        return union > 0 ? inter / union : 0;
    }

    /**
     * Whether {@code round} has faces no track accounts for. From an earlier frame, such a newcomer could only
     * start where it was then: better to detect the current frame instead.
     */
    public boolean bringsNewFaces(DetectionRound round, long frameNumber) {
        for (int track : pair(round, frameNumber)) {
            if (track < 0) {
                return true;
            }
        }
        return false;
    }

    private void match(DetectionRound round, long frameNumber) {
        List<Face> detections = round.faces();
        int[] trackOf = pair(round, frameNumber);
        boolean[] matched = new boolean[tracks.size()];
        List<Track> before = List.copyOf(tracks);
        for (int d = 0; d < detections.size(); d++) {
            if (trackOf[d] >= 0) {
                Track t = before.get(trackOf[d]);
                matched[trackOf[d]] = true;
                t.seen(broughtForward(t, detections.get(d), round.frame(), frameNumber));
            }
        }
        for (int i = 0; i < before.size(); i++) {
            if (!matched[i]) {
                before.get(i).notSeen();
            }
        }
        for (int d = 0; d < detections.size(); d++) {
            if (trackOf[d] < 0) {
                // A newcomer has no motion history: it starts where it was seen, and its flow takes over from here.
                tracks.add(new Track(nextId++, detections.get(d), settings));
            }
        }
    }

    /**
     * Pairs the round's detections with the tracks by box overlap in the round's frame (greedy, best first).
     *
     * @return for each detection, the index of its track, or -1
     */
    private int[] pair(DetectionRound round, long frameNumber) {
        List<Face> detections = round.faces();
        record Pair(int track, int detection, double iou) {}
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < tracks.size(); i++) {
            Track t = tracks.get(i);
            BoundingBox then = round.frame() == frameNumber ? null : t.boxAt(round.frame());
            BoundingBox reference = then != null ? then : t.measuredBox();
            for (int d = 0; d < detections.size(); d++) {
                double iou = iou(reference, detections.get(d).box());
                if (iou >= settings.minIou()) {
                    pairs.add(new Pair(i, d, iou));
                }
            }
        }
        pairs.sort(Comparator.comparingDouble(Pair::iou).reversed());
        int[] trackOf = new int[detections.size()];
        Arrays.fill(trackOf, -1);
        boolean[] taken = new boolean[tracks.size()];
        for (Pair p : pairs) {
            if (trackOf[p.detection()] < 0 && !taken[p.track()]) {
                trackOf[p.detection()] = p.track();
                taken[p.track()] = true;
            }
        }
        return trackOf;
    }

    /** A detection of an earlier frame moved as its track has moved since then. */
    private static Face broughtForward(Track track, Face detection, long detectedFrame, long frameNumber) {
        float[] then = detectedFrame == frameNumber ? null : track.keypointsAt(detectedFrame);
        if (then == null) {
            return detection;
        }
        SimilarityTransform since = SimilarityTransform.estimate(then, track.measuredKeypoints());
        Face moved = new Face(Track.transform(detection.box(), since), detection.score(), since.applyAll(detection.kps()));
        return detection.hasEmbedding() ? moved.withEmbedding(detection.embedding()) : moved;
    }
}
