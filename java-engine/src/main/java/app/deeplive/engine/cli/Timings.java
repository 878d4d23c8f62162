package app.deeplive.engine.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/** Samples of one measured stage, summarised as milliseconds for bench JSON. */
final class Timings {
    private long[] nanos = new long[64];
    private int count;

    void add(long sample) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, 2 * count);
        }
        nanos[count++] = sample;
    }

    double meanMs() {
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += nanos[i];
        }
        return count == 0 ? 0 : sum / count / 1e6;
    }

    double percentileMs(double p) {
        if (count == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return sorted[(int) Math.min(count - 1, Math.floor(p * count))] / 1e6;
    }

    /** {@code {"mean": ms, "p50": ms, "p90": ms}}, rounded to microseconds. */
    ObjectNode toJson() {
        ObjectNode o = FaceJson.MAPPER.createObjectNode();
        o.put("mean", round(meanMs()));
        o.put("p50", round(percentileMs(0.5)));
        o.put("p90", round(percentileMs(0.9)));
        return o;
    }

    static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
