package app.deeplive.engine.live;

/**
 * Nanosecond durations counted in log-linear buckets (HdrHistogram's idea, 64 sub-buckets per power of two, so a
 * percentile is within about 3 % of the true value): one preallocated array of long, no allocation when recording.
 * One thread records; others may read a slightly stale picture at any time.
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS; // 64
    private static final int HALF = SUB / 2;
    private static final int MAX_EXPONENT = 40; // 2^46 ns ≈ 19 hours: anything longer lands in the top bucket
    private static final int BUCKETS = SUB + MAX_EXPONENT * HALF;

    private final long[] counts = new long[BUCKETS];
    private volatile long total;
    private long sum;
    private long max;

    /** Counts one duration (negative values count as 0). */
    public void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        sum += v;
        if (v > max) {
            max = v;
        }
        total = total + 1; // volatile write publishes the bucket update to readers
    }

    public long count() {
        return total;
    }

    public long maxNanos() {
        return max;
    }

    public double meanNanos() {
        long n = total;
        return n == 0 ? 0 : (double) sum / n;
    }

    /**
     * The value below which {@code percent} % of the recorded durations lie (the upper edge of its bucket, at most
     * the maximum seen); 0 when empty.
     */
    public long percentileNanos(double percent) {
        long n = total;
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * n));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperEdge(i), max);
            }
        }
        return max;
    }

    public void reset() {
        java.util.Arrays.fill(counts, 0);
        sum = 0;
        max = 0;
        total = 0;
    }

    static int index(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v) - (SUB_BITS - 1); // v >> exponent lies in [32, 64)
        if (exponent > MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        return SUB + (exponent - 1) * HALF + (int) ((v >> exponent) - HALF);
    }

    static long upperEdge(int index) {
        if (index < SUB) {
            return index;
        }
        int exponent = (index - SUB) / HALF + 1;
        long mantissa = (index - SUB) % HALF + HALF;
        return ((mantissa + 1) << exponent) - 1;
    }
}
