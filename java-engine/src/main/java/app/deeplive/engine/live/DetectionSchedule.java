package app.deeplive.engine.live;

/**
 * When to run the face detector instead of tracking: every k-th frame at the latest, and at once when tracking
 * is unsure of a face (its match score fell below {@code minConfidence}) or a face moves fast (more than
 * {@code maxStep} of its width since the last frame), because then a tracked position may be wrong by the next
 * frame. With no face in view it detects every k-th frame, leaving the frames between unchanged.
 *
 * @param everyK the longest run of frames between detections (1 = detect every frame)
 * @param minConfidence the match score (normalised cross-correlation, −1..1) below which tracking gives up
 * @param maxStep the largest per-frame movement, as a fraction of the face's width, that tracking may follow
 */
public record DetectionSchedule(int everyK, double minConfidence, double maxStep) {
    /** Detection every 4th frame, as Deep-Live-Cam does at about 50 fps (every round(0.08·fps) frames). */
    public static final DetectionSchedule DEFAULT = new DetectionSchedule(4, 0.6, 0.15);

    public DetectionSchedule {
        if (everyK < 1) {
            throw new IllegalArgumentException("detect every k must be at least 1, not " + everyK);
        }
        if (!(minConfidence >= -1 && minConfidence <= 1)) {
            throw new IllegalArgumentException("tracking confidence must be in [-1, 1], not " + minConfidence);
        }
        if (!(maxStep > 0)) {
            throw new IllegalArgumentException("the largest tracked step must be positive, not " + maxStep);
        }
    }

    /** Whether this frame needs the detector before tracking is even tried. */
    public boolean detectBeforeTracking(int framesSinceDetection, int trackedFaces) {
        return framesSinceDetection + 1 >= everyK || (trackedFaces == 0 && everyK == 1);
    }

    /** Whether tracking's result on this frame is not good enough and the detector must run after all. */
    public boolean detectAfterTracking(double weakestConfidence, double largestStep) {
        return weakestConfidence < minConfidence || largestStep > maxStep;
    }
}
