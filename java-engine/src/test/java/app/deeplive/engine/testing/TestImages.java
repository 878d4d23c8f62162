package app.deeplive.engine.testing;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;

/** Small deterministic images for comparing model wrappers' outputs byte for byte. */
public final class TestImages {
    private TestImages() {}

    /** A width×height BGR image of smooth stripes that differ per channel and per seed. */
    public static Mat pattern(int width, int height, int seed) {
        Mat m = new Mat(height, width, CV_8UC3);
        try (UByteIndexer px = m.createIndexer()) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    for (int c = 0; c < 3; c++) {
                        px.put(y, x, c, (int) (127.5 + 120 * Math.sin(0.05 * (x + 2 * y) + 1.3 * c + seed)));
                    }
                }
            }
        }
        return m;
    }

    /** A size×size BGR image of seeded random bytes: every pixel differs from its neighbours, so a moved pixel shows. */
    public static Mat noise(int size, long seed) {
        Mat image = new Mat(size, size, CV_8UC3);
        byte[] data = new byte[size * size * 3];
        new java.util.Random(seed).nextBytes(data);
        image.data().put(data);
        return image;
    }

    /** The image's pixels, row by row (for equality). */
    public static byte[] bytes(Mat m) {
        byte[] out = new byte[(int) m.total() * m.channels()];
        try (Mat dense = m.clone()) { // continuous, whatever m is
            dense.data().get(out);
        }
        return out;
    }
}
