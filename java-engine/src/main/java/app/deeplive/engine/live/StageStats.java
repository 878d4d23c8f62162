package app.deeplive.engine.live;

/**
 * One stage's figures: how long it worked on each frame (a histogram) and its total busy time. Written by the
 * stage's thread only; read by anyone as a {@link Snapshot}.
 */
public final class StageStats {
    private final String name;
    private final LatencyHistogram work = new LatencyHistogram();
    private volatile long busyNanos;
    private volatile long failures;
    /** Moving average of the work time (about the last 16 frames), for the entry's admission limit. */
    private volatile double recentNanos;
    /** When the frame in hand was started (0: idle), and frames taken in so far: for just-in-time admission. */
    private volatile long runningSince;
    private volatile long taken;

    StageStats(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    void worked(long nanos) {
        work.record(nanos);
        double r = recentNanos;
        recentNanos = r == 0 ? nanos : r + (nanos - r) / 16;
        busyNanos = busyNanos + nanos;
    }

    void took() {
        taken = taken + 1;
    }

    void started(long nanoTime) {
        runningSince = nanoTime;
    }

    void stopped() {
        runningSince = 0;
    }

    long taken() {
        return taken;
    }

    long runningSince() {
        return runningSince;
    }

    double recentNanos() {
        return recentNanos;
    }

    long failures() {
        return failures;
    }

    void failed() {
        failures = failures + 1;
    }

    void reset() {
        work.reset();
        busyNanos = 0;
        failures = 0;
    }

    /**
     * @param frames frames this stage worked on
     * @param meanMillis mean time per frame
     * @param p99Millis 99th percentile time per frame
     * @param busyNanos total time spent working
     * @param failures frames this stage failed on
     */
    public record Snapshot(String name, long frames, double meanMillis, double p99Millis, long busyNanos,
            long failures) {
        /** The fraction of {@code wallNanos} this stage was working. */
        public double busyFraction(long wallNanos) {
            return wallNanos <= 0 ? 0 : Math.min(1.0, (double) busyNanos / wallNanos);
        }
    }

    Snapshot snapshot() {
        return new Snapshot(name, work.count(), work.meanNanos() / 1e6, work.percentileNanos(99) / 1e6, busyNanos,
                failures);
    }
}
