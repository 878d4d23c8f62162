package app.deeplive.engine.session;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Live figures of one session. Several threads write them: each stage of the staged pipeline records its own
 * times, the last one the finished frame, the analysis stage refused frames. The control channel reads a
 * {@link Snapshot} at any time. Every method holds the object's lock for a few nanoseconds, so writers on
 * different threads barely contend and a snapshot is always consistent.
 */
public final class SessionStats {
    /** Weight of the newest frame in the moving averages (about the last 10 frames count). */
    private static final double ALPHA = 0.1;
    private static final int FPS_WINDOW = 64;
    /** A session that has not finished a frame for this long shows 0 fps. */
    private static final long STALE_NANOS = 2_000_000_000L;

    private final long[] doneAt = new long[FPS_WINDOW];
    private final Map<String, double[]> stageMicros = new LinkedHashMap<>(); // stage → {mean, last}
    private long frames;
    private long rejected;

    /** A frame finished the pipeline at {@code nanoTime}. */
    public synchronized void frameDone(long nanoTime) {
        doneAt[(int) (frames % FPS_WINDOW)] = nanoTime;
        frames++;
    }

    /** A frame was handed back untouched because it exceeded the session's limits. */
    public synchronized void frameRejected() {
        rejected++;
    }

    /** How long {@code stage} ("detect", "swap"…, or "total") took on the current frame. */
    public synchronized void record(String stage, long nanos) {
        double micros = nanos / 1000.0;
        double[] m = stageMicros.get(stage);
        if (m == null) {
            stageMicros.put(stage, new double[] {micros, micros});
        } else {
            m[0] += ALPHA * (micros - m[0]);
            m[1] = micros;
        }
    }

    /** @param errors frames the pipeline failed on (its runner counts them, not these figures) */
    public synchronized Snapshot snapshot(long nowNanos, long errors) {
        double fps = 0;
        int n = (int) Math.min(frames, FPS_WINDOW);
        if (n >= 2) {
            long newest = doneAt[(int) ((frames - 1) % FPS_WINDOW)];
            long oldest = doneAt[(int) ((frames - n) % FPS_WINDOW)];
            if (nowNanos - newest < STALE_NANOS && newest > oldest) {
                fps = (n - 1) * 1e9 / (newest - oldest);
            }
        }
        Map<String, Latency> stages = new LinkedHashMap<>();
        stageMicros.forEach((k, v) -> stages.put(k, new Latency(v[0], v[1])));
        return new Snapshot(frames, fps, rejected, errors, Collections.unmodifiableMap(stages));
    }

    /** Microseconds: a moving average and the latest frame's value. */
    public record Latency(double meanMicros, double lastMicros) {}

    public record Snapshot(long frames, double fps, long rejected, long errors, Map<String, Latency> stages) {}
}
