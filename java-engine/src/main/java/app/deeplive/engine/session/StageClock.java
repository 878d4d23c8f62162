package app.deeplive.engine.session;

/** Where a pipeline reports how long each of its stages took on the current frame (get_stats shows them). */
@FunctionalInterface
public interface StageClock {
    /** @param stage a short stable name ("detect", "swap", "enhance", "blend"…) */
    void record(String stage, long nanos);
}
