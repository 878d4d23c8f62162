package app.deeplive.engine.track;

/**
 * How well the optical flow followed the faces into the latest frame: what decides whether to detect again early.
 *
 * @param confidence the lowest {@link FaceMotion#confidence()} of the faces followed (1 when none was followed)
 * @param speed the highest {@link FaceMotion#speed()}, face widths per frame
 */
public record TrackingQuality(double confidence, double speed) {
    public static final TrackingQuality NOT_FOLLOWED = new TrackingQuality(1, 0);

    /** Whether the flow lost a face altogether (its position in this frame is unknown). */
    public boolean lostAFace() {
        return confidence == 0;
    }

    /** Whether the faces should be found again now rather than at the next regular detection. */
    public boolean needsDetection(TrackerSettings settings) {
        return confidence < settings.minFlowConfidence() || speed > settings.fastMotion();
    }
}
