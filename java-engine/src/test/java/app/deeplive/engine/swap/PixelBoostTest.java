package app.deeplive.engine.swap;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.testing.SyntheticModels;
import static app.deeplive.engine.testing.TestImages.bytes;
import static app.deeplive.engine.testing.TestImages.noise;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** Pixel boost moves pixels and nothing else: tile (dy, dx) is every k-th pixel from (dx, dy), and back. */
class PixelBoostTest {
    @Test
    void tileDyDxHoldsEveryKthPixelFromThatOffset() {
        for (int k : new int[] {2, 4}) {
            try (Mat crop = noise(128 * k, 7 + k); UByteIndexer c = crop.createIndexer()) {
                List<Mat> tiles = images(k * k);
                PixelBoost.split(crop, k, tiles);
                for (int dy = 0; dy < k; dy++) {
                    for (int dx = 0; dx < k; dx++) {
                        try (UByteIndexer t = tiles.get(dy * k + dx).createIndexer()) {
                            for (int v = 0; v < 128; v++) {
                                for (int u = 0; u < 128; u++) {
                                    for (int ch = 0; ch < 3; ch++) {
                                        if (t.get(v, u, ch) != c.get(k * v + dy, k * u + dx, ch)) {
                                            throw new AssertionError("k " + k + " tile " + dx + "," + dy + " pixel "
                                                    + u + "," + v + " channel " + ch);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                tiles.forEach(Mat::close);
            }
        }
    }

    @Test
    void assemblingTheTilesGivesTheCropBackExactly() {
        for (int k : new int[] {1, 2, 4}) {
            try (Mat crop = noise(128 * k, k); Mat back = new Mat()) {
                List<Mat> tiles = images(k * k);
                PixelBoost.split(crop, k, tiles);
                PixelBoost.assemble(tiles, k, back);
                assertArrayEquals(bytes(crop), bytes(back), "k " + k);
                tiles.forEach(Mat::close);
            }
        }
    }

    /**
     * The synthetic swapper is a known per-pixel function, clip(x/255 + 4·latent[c]) in RGB: boosted through it, the
     * 256 and 512 crops come back as exactly that function of their own pixels, each pixel where it was.
     */
    @Test
    void aBoostedSwapIsTheSwappersFunctionOfEveryPixelInItsPlace() {
        float[] latent = new float[FaceSwapper.LATENT];
        latent[0] = 0.01f; // R
        latent[1] = -0.02f; // G
        latent[2] = 0.03f; // B
        try (FaceSwapper swapper = FaceSwapper.open(SyntheticModels.inswapper(), OrtConfig.cpu())) {
            for (int k : new int[] {2, 4}) {
                try (Mat crop = noise(128 * k, 40 + k); Mat out = new Mat()) {
                    List<Mat> tiles = images(k * k);
                    List<Mat> swapped = images(k * k);
                    PixelBoost.split(crop, k, tiles);
                    swapper.swapAll(tiles, Collections.nCopies(k * k, latent), swapped);
                    PixelBoost.assemble(swapped, k, out);
                    byte[] in = bytes(crop);
                    byte[] got = bytes(out);
                    for (int i = 0; i < in.length; i++) {
                        int rgb = 2 - i % 3; // BGR bytes, RGB latent
                        double x = (in[i] & 0xff) / 255.0 + 4 * latent[rgb];
                        int want = (int) Math.round(Math.min(1, Math.max(0, x)) * 255);
                        if (Math.abs((got[i] & 0xff) - want) > 1) { // float rounding at .5 only
                            throw new AssertionError("k " + k + " byte " + i + ": " + (got[i] & 0xff) + " != " + want);
                        }
                    }
                    tiles.forEach(Mat::close);
                    swapped.forEach(Mat::close);
                }
            }
        }
    }

    /** Several faces' tiles share one list (the pipeline's): each face's k² from its own index on, untouched by the others. */
    @Test
    void severalFacesTilesLiveSideBySideInOneList() {
        try (Mat a = noise(256, 3); Mat b = noise(256, 4); Mat backA = new Mat(); Mat backB = new Mat()) {
            List<Mat> tiles = images(8);
            try {
                PixelBoost.split(a, 2, tiles, 0);
                PixelBoost.split(b, 2, tiles, 4);
                PixelBoost.assemble(tiles, 0, 2, backA);
                PixelBoost.assemble(tiles, 4, 2, backB);
                assertEquals(0, InSwapperTest.maxDifference(a, backA));
                assertEquals(0, InSwapperTest.maxDifference(b, backB));
                assertThrows(IllegalArgumentException.class, () -> PixelBoost.split(a, 2, tiles, 5), "past the list");
            } finally {
                tiles.forEach(Mat::close);
            }
        }
    }

    @Test
    void onlyTheOfferedSizesAreAcceptedAndASwapperIsBoostedPastItsOwnSideOnly() {
        assertEquals(1, PixelBoost.factor(128, 128));
        assertEquals(2, PixelBoost.factor(256, 128));
        assertEquals(4, PixelBoost.factor(512, 128));
        assertEquals(1, PixelBoost.factor(128, 256), "a 256-px swapper draws 256 anyway");
        assertEquals(1, PixelBoost.factor(256, 256));
        assertEquals(2, PixelBoost.factor(512, 256));
        assertThrows(IllegalArgumentException.class, () -> PixelBoost.factor(384, 128));
        try (Mat wrong = noise(201, 1)) { // not k tiles of whole pixels
            assertThrows(IllegalArgumentException.class, () -> PixelBoost.split(wrong, 2, images(4)));
        }
    }

    private static List<Mat> images(int n) {
        List<Mat> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Mat());
        }
        return out;
    }
}
