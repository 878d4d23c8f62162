package app.deeplive.engine.track;

import app.deeplive.engine.analysis.BoundingBox;
import app.deeplive.engine.analysis.Face;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Follows faces across frames: each detection round is matched to the existing tracks by box overlap (greedy,
 * best overlap first), keypoints are smoothed per track with One-Euro filters, new faces start new tracks, and a
 * track that goes unseen is kept, at its last position, for a few rounds before it is dropped. So a face that the
 * detector misses once is still swapped, and a person leaving never hands their track to someone else.
 * Not thread-safe: one tracker per video stream.
 */
public final class FaceTracker {
    private final TrackerSettings settings;
    private final List<Track> tracks = new ArrayList<>();
    private long nextId = 1;
    private long lastNanos = Long.MIN_VALUE;

    public FaceTracker(TrackerSettings settings) {
        this.settings = settings;
    }

    /**
     * Takes one detection round.
     *
     * @param detections this frame's faces
     * @param timestampNanos the frame's time (any monotonic clock), for the filters
     * @return the live tracks after the update, oldest first
     */
    public List<Track> update(List<Face> detections, long timestampNanos) {
        double dt = lastNanos == Long.MIN_VALUE ? 0 : (timestampNanos - lastNanos) / 1e9;
        lastNanos = timestampNanos;
        record Pair(Track track, int detection, double iou) {}
        List<Pair> pairs = new ArrayList<>();
        for (Track t : tracks) {
            for (int d = 0; d < detections.size(); d++) {
                double iou = iou(t.face().box(), detections.get(d).box());
                if (iou >= settings.minIou()) {
                    pairs.add(new Pair(t, d, iou));
                }
            }
        }
        pairs.sort(Comparator.comparingDouble(Pair::iou).reversed());
        boolean[] used = new boolean[detections.size()];
        List<Track> matched = new ArrayList<>();
        for (Pair p : pairs) {
            if (!used[p.detection()] && !matched.contains(p.track())) {
                used[p.detection()] = true;
                matched.add(p.track());
                p.track().seen(detections.get(p.detection()), dt);
            }
        }
        for (Track t : tracks) {
            if (!matched.contains(t)) {
                t.notSeen();
            }
        }
        tracks.removeIf(t -> t.missed() > settings.maxMissed());
        for (int d = 0; d < detections.size(); d++) {
            if (!used[d]) {
                tracks.add(new Track(nextId++, detections.get(d), settings));
            }
        }
        return List.copyOf(tracks);
    }

    /** The live tracks, oldest first. */
    public List<Track> tracks() {
        return List.copyOf(tracks);
    }

    /** Forgets every track (a new scene or stream). */
    public void reset() {
        tracks.clear();
        lastNanos = Long.MIN_VALUE;
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
}
