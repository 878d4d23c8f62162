package app.deeplive.engine.track;

/**
 * Tracking parameters.
 *
 * @param minIou a detection continues a track when their boxes overlap at least this much
 * @param maxMissed detection rounds a track survives unseen (it keeps being swapped meanwhile: no flicker)
 * @param minCutoff One-Euro cutoff when still (Hz)
 * @param beta One-Euro speed coefficient (per pixel/s)
 * @param derivativeCutoff One-Euro speed cutoff (Hz)
 * @param minFlowConfidence detect again at once when a face's optical-flow confidence falls below this (0..1)
 * @param fastMotion detect again at once when a face moves more than this many face widths in one frame
 * @param opticalFlow follow faces by their optical flow between detections; false: detect on every frame
 */
public record TrackerSettings(double minIou, int maxMissed, double minCutoff, double beta, double derivativeCutoff,
        double minFlowConfidence, double fastMotion, boolean opticalFlow) {
    /** The defaults, following faces by their flow where this machine can ({@link OpticalFlow#available()}). */
    public static final TrackerSettings DEFAULT =
            new TrackerSettings(0.3, 3, 1.0, 0.05, 1.0, 0.5, 0.2, OpticalFlow.available());

    /** The same, detecting on every frame instead of following faces by their flow. */
    public TrackerSettings withoutOpticalFlow() {
        return new TrackerSettings(minIou, maxMissed, minCutoff, beta, derivativeCutoff, minFlowConfidence, fastMotion,
                false);
    }

    public TrackerSettings {
        if (!(minIou > 0 && minIou <= 1) || maxMissed < 0) {
            throw new IllegalArgumentException("minIou must be in (0, 1] and maxMissed not negative");
        }
        if (!(minFlowConfidence >= 0 && minFlowConfidence <= 1) || !(fastMotion > 0)) {
            throw new IllegalArgumentException("minFlowConfidence must be in [0, 1] and fastMotion positive");
        }
    }
}
