package app.deeplive.engine.blend;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;

import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A square crop mask that is 1 inside and falls linearly to 0 over a border of a given fraction of the side
 * (enhancers paste back with a 5% ramp, as Deep-Live-Cam does).
 */
public final class FeatherMask {
    private FeatherMask() {}

    /** A new {@code size}² CV_32F mask; the caller closes it. */
    public static Mat linear(int size, double borderFraction) {
        double border = Math.max(1.0, size * borderFraction);
        float[] ramp = new float[size];
        for (int i = 0; i < size; i++) {
            double distance = Math.min(i + 0.5, size - i - 0.5); // from the nearest edge, pixel centres
            ramp[i] = (float) Math.min(1.0, distance / border);
        }
        Mat mask = new Mat(size, size, CV_32F);
        try (FloatIndexer idx = mask.createIndexer()) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    idx.put(y, x, Math.min(ramp[x], ramp[y]));
                }
            }
        }
        return mask;
    }
}
