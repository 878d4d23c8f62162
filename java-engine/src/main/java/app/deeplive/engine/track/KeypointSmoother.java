package app.deeplive.engine.track;

/**
 * One-Euro smoothing (Casiez, Roussel, Vogel, CHI 2012) of a face's keypoints: a low-pass filter whose cutoff rises
 * with speed, so a still face stops jittering while a moving one is followed without visible lag. The speed that
 * drives the cutoff is the face's (the mean of its keypoints), not each point's: a face moves as a whole, and the
 * mean is steadier than any single point, so detector noise does not pass for motion.
 */
public final class KeypointSmoother {
    private final double minCutoff;
    private final double beta;
    private final double derivativeCutoff;
    private double[] value;
    private double speedX;
    private double speedY;

    /**
     * @param minCutoff cutoff frequency (Hz) when still: lower smooths more
     * @param beta how fast the cutoff rises with speed (Hz per pixel/s): higher lags less
     * @param derivativeCutoff cutoff (Hz) for the speed estimate
     */
    public KeypointSmoother(double minCutoff, double beta, double derivativeCutoff) {
        if (!(minCutoff > 0 && derivativeCutoff > 0 && beta >= 0)) {
            throw new IllegalArgumentException("cutoffs must be positive and beta not negative");
        }
        this.minCutoff = minCutoff;
        this.beta = beta;
        this.derivativeCutoff = derivativeCutoff;
    }

    /** The smoothed keypoints (x, y pairs) of a new detection {@code dtSeconds} after the previous one. */
    public float[] smooth(float[] raw, double dtSeconds) {
        if (value == null || value.length != raw.length || !(dtSeconds > 0)) {
            value = new double[raw.length];
            for (int i = 0; i < raw.length; i++) {
                value[i] = raw[i];
            }
            speedX = 0;
            speedY = 0;
            return raw.clone();
        }
        int points = raw.length / 2;
        double dx = 0, dy = 0;
        for (int i = 0; i < raw.length; i += 2) {
            dx += raw[i] - value[i];
            dy += raw[i + 1] - value[i + 1];
        }
        double ad = alpha(derivativeCutoff, dtSeconds);
        speedX += ad * (dx / points / dtSeconds - speedX);
        speedY += ad * (dy / points / dtSeconds - speedY);
        double a = alpha(minCutoff + beta * Math.hypot(speedX, speedY), dtSeconds);
        float[] out = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            value[i] += a * (raw[i] - value[i]);
            out[i] = (float) value[i];
        }
        return out;
    }

    private static double alpha(double cutoff, double dt) {
        double tau = 1.0 / (2 * Math.PI * cutoff);
        return 1.0 / (1.0 + tau / dt);
    }
}
