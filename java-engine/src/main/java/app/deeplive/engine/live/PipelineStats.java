package app.deeplive.engine.live;

import java.util.List;

/**
 * A staged pipeline's figures since it started (or since its last statistics reset).
 *
 * @param wallNanos time covered
 * @param completed frames handed back after passing every stage (processed or left unchanged by choice)
 * @param dropped frames the entry replaced by a newer one because the pipeline was behind
 * @param failed frames a stage failed on (handed back as they were, or marked failed if written to)
 * @param abandoned frames handed back unprocessed because the pipeline was shutting down
 * @param latencyP50Millis median time from entry to hand-back of completed frames
 * @param latencyP99Millis 99th percentile of the same
 * @param stages each stage's figures, in pipeline order
 */
public record PipelineStats(long wallNanos, long completed, long dropped, long failed, long abandoned,
        double latencyP50Millis, double latencyP99Millis, List<StageStats.Snapshot> stages) {

    /** Completed frames per second. */
    public double fps() {
        return wallNanos <= 0 ? 0 : completed * 1e9 / wallNanos;
    }

    /** The slowest stage by mean time per frame. */
    public StageStats.Snapshot slowestStage() {
        StageStats.Snapshot slowest = null;
        for (StageStats.Snapshot s : stages) {
            if (slowest == null || s.meanMillis() > slowest.meanMillis()) {
                slowest = s;
            }
        }
        return slowest;
    }

    /** What the pipeline could do if stages overlapped perfectly: 1 / the slowest stage's mean time per frame. */
    public double idealFps() {
        StageStats.Snapshot slowest = slowestStage();
        return slowest == null || slowest.meanMillis() <= 0 ? 0 : 1000.0 / slowest.meanMillis();
    }

    /** The sum of the stages' mean times: one frame's work if nothing overlapped. */
    public double sumOfStageMillis() {
        double sum = 0;
        for (StageStats.Snapshot s : stages) {
            sum += s.meanMillis();
        }
        return sum;
    }
}
