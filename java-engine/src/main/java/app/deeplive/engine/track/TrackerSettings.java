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
 * @param everyFrameBelowNanos when every face (or every mapped person) is swapped and the detector's recent runs
 *     take at most this long, detect on every frame where it is: someone who walks in is then swapped from the
 *     first frame the detector sees them, instead of showing their own face until the next detection round
 */
public record TrackerSettings(double minIou, int maxMissed, double minCutoff, double beta, double derivativeCutoff,
        double minFlowConfidence, double fastMotion, boolean opticalFlow, long everyFrameBelowNanos) {
    /**
     * A detector this fast (a GPU's SCRFD takes 3–4 ms at 640) costs the analysis stage less than the slowest stage,
     * so every frame can be looked at; a CPU's (tens of ms) cannot.
     */
    public static final long FAST_DETECTOR_NANOS = 6_000_000L;

    /** The defaults, following faces by their flow where this machine can ({@link OpticalFlow#available()}). */
    public static final TrackerSettings DEFAULT =
            new TrackerSettings(0.3, 3, 1.0, 0.05, 1.0, 0.5, 0.2, OpticalFlow.available(), FAST_DETECTOR_NANOS);

    /** The same, detecting on every frame instead of following faces by their flow. */
    public TrackerSettings withoutOpticalFlow() {
        return new TrackerSettings(minIou, maxMissed, minCutoff, beta, derivativeCutoff, minFlowConfidence, fastMotion,
                false, everyFrameBelowNanos);
    }

    /** The same, with another bound for detecting every frame in every-face and mapping modes (0: never). */
    public TrackerSettings withEveryFrameDetectionBelow(long nanos) {
        return new TrackerSettings(minIou, maxMissed, minCutoff, beta, derivativeCutoff, minFlowConfidence, fastMotion,
                opticalFlow, nanos);
    }

    public TrackerSettings {
        if (!(minIou > 0 && minIou <= 1) || maxMissed < 0) {
            throw new IllegalArgumentException("minIou must be in (0, 1] and maxMissed not negative");
        }
        if (!(minFlowConfidence >= 0 && minFlowConfidence <= 1) || !(fastMotion > 0) || everyFrameBelowNanos < 0) {
            throw new IllegalArgumentException("minFlowConfidence must be in [0, 1], fastMotion positive and "
                    + "everyFrameBelowNanos not negative");
        }
    }
}
