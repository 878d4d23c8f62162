package app.deeplive.engine.blend;

import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/** Small deterministic images for the compositing tests. */
final class BlendTestImages {
    private BlendTestImages() {}

    /** A smooth asymmetric pattern with the given channel count (alpha varies too, to prove it is kept). */
    static Mat pattern(int width, int height, int channels) {
        Mat m = new Mat(height, width, opencv_core.CV_8UC(channels));
        try (UByteIndexer idx = m.createIndexer()) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    idx.put(y, x, 0, x * 255 / width);
                    idx.put(y, x, 1, y * 255 / height);
                    idx.put(y, x, 2, (x + 2 * y) * 255 / (width + 2 * height));
                    if (channels == 4) {
                        idx.put(y, x, 3, 100 + (x * y) % 150);
                    }
                }
            }
        }
        return m;
    }

    /** A uniform BGR image. */
    static Mat uniform(int size, int b, int g, int r) {
        return new Mat(size, size, opencv_core.CV_8UC3, new org.bytedeco.opencv.opencv_core.Scalar(b, g, r, 0));
    }

    static int maxDifference(Mat a, Mat b) {
        try (Mat diff = new Mat()) {
            opencv_core.absdiff(a, b, diff);
            double[] max = new double[1];
            try (Mat flat = diff.reshape(1, 0)) {
                opencv_core.minMaxLoc(flat, null, max, null, null, null);
            }
            return (int) max[0];
        }
    }
}
