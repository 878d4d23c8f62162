package app.deeplive.engine.track;

/**
 * The One-Euro filter (Casiez, Roussel, Vogel, CHI 2012): a low-pass filter whose cutoff rises with speed, so a
 * still face stops jittering while a moving one is followed without lag. One instance filters one scalar signal.
 */
public final class OneEuroFilter {
    private final double minCutoff;
    private final double beta;
    private final double derivativeCutoff;
    private boolean started;
    private double value;
    private double derivative;

    /**
     * @param minCutoff cutoff frequency (Hz) when still: lower smooths more
     * @param beta how fast the cutoff rises with speed (per unit/s): higher lags less
     * @param derivativeCutoff cutoff (Hz) for the speed estimate
     */
    public OneEuroFilter(double minCutoff, double beta, double derivativeCutoff) {
        if (!(minCutoff > 0 && derivativeCutoff > 0 && beta >= 0)) {
            throw new IllegalArgumentException("cutoffs must be positive and beta not negative");
        }
        this.minCutoff = minCutoff;
        this.beta = beta;
        this.derivativeCutoff = derivativeCutoff;
    }

    /** The filtered value of a new sample taken {@code dtSeconds} after the previous one. */
    public double filter(double sample, double dtSeconds) {
        if (!started || !(dtSeconds > 0)) {
            started = true;
            value = sample;
            derivative = 0;
            return value;
        }
        double rawDerivative = (sample - value) / dtSeconds;
        derivative += alpha(derivativeCutoff, dtSeconds) * (rawDerivative - derivative);
        double cutoff = minCutoff + beta * Math.abs(derivative);
        value += alpha(cutoff, dtSeconds) * (sample - value);
        return value;
    }

    private static double alpha(double cutoff, double dt) {
        double tau = 1.0 / (2 * Math.PI * cutoff);
        return 1.0 / (1.0 + tau / dt);
    }
}
