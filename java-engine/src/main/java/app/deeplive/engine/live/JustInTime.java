package app.deeplive.engine.live;

import java.util.concurrent.TimeUnit;

/**
 * The rule that lets a frame into the pipeline just in time for its slowest stage: when the frames already on their
 * way there, plus what the frame in that stage still needs, will keep it busy for no longer than a new frame takes
 * to get through the stages before it. Earlier, the new frame would only age in front of the slowest stage; later,
 * that stage would sit idle. Pure: {@link StagedPipeline} feeds it the stages' moving averages.
 */
final class JustInTime {
    /** A frame is let in this much earlier than the stages before the slowest one take… */
    static final double SLACK = 1.25;
    /** …plus this, to cover the hand-offs and the entry's polling. */
    static final long MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private JustInTime() {}

    /**
     * @param slowestNanos the slowest stage's recent time per frame (0: not measured yet)
     * @param upstreamNanos the recent times of the stages before it, summed
     * @param ahead frames let in that have not reached the slowest stage yet
     * @param runningForNanos how long the slowest stage has been on its current frame (negative: idle)
     */
    static boolean admits(double slowestNanos, double upstreamNanos, long ahead, long runningForNanos) {
        if (slowestNanos <= 0) {
            return true;
        }
        double remaining = runningForNanos < 0 ? 0 : Math.max(0, slowestNanos - runningForNanos);
        double queued = remaining + Math.max(0, ahead) * slowestNanos;
        return queued <= SLACK * upstreamNanos + MARGIN_NANOS;
    }
}
