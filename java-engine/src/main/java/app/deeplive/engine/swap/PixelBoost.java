package app.deeplive.engine.swap;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.mixChannels;

import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Pixel boost, as FaceFusion does it: a swapper of side s (128 for inswapper, 256 for HyperSwap) draws a face at s·k
 * by running on the k² interleaved tiles of an aligned crop taken at s·k pixels. Tile (dy, dx) holds every k-th pixel
 * from (dx, dy) on, so each tile is a complete s² view of the face, offset by a fraction of a pixel; the model's k²
 * outputs are put back at the pixels they came from, and paste-back then works from the larger crop. Nothing is interpolated here: pixels
 * only move.
 *
 * <p>How, without a per-pixel loop: in a continuous sk-wide image, k neighbouring pixels of one row are k·3
 * consecutive bytes, so the rows dy, dy + k, … seen as an s × s image of k·3-channel pixels (a header with k rows'
 * stride) hold tile (dy, dx) in channels 3dx … 3dx + 2; OpenCV's channel shuffle moves them to and from a tile.
 */
public final class PixelBoost {
    /** The crop sizes a user can choose: 128 is off (and so is any size up to the swapper's own). */
    public static final List<Integer> SIZES = List.of(128, 256, 512);

    /** TILE_TO_ROWS[dx] / ROWS_TO_TILE[dx]: a tile's B, G, R and channels 3dx … 3dx + 2 of a row view, made once. */
    private static final int[][] TILE_TO_ROWS = new int[4][];
    private static final int[][] ROWS_TO_TILE = new int[4][];

    static {
        for (int dx = 0; dx < 4; dx++) {
            TILE_TO_ROWS[dx] = new int[] {0, 3 * dx, 1, 3 * dx + 1, 2, 3 * dx + 2};
            ROWS_TO_TILE[dx] = new int[] {3 * dx, 0, 3 * dx + 1, 1, 3 * dx + 2, 2};
        }
    }

    private PixelBoost() {}

    /** k for a boosted crop size with a swapper of side {@code modelSize}: 1 when the swapper draws that size anyway. */
    public static int factor(int size, int modelSize) {
        check(size);
        return Math.max(1, size / modelSize);
    }

    /** @throws IllegalArgumentException unless {@code size} is one of {@link #SIZES} */
    public static void check(int size) {
        if (!SIZES.contains(size)) {
            throw new IllegalArgumentException("pixel boost is one of " + SIZES + ", not " + size);
        }
    }

    /**
     * Cuts the k² tiles of {@code crop} (continuous, (s·k)² BGR) into {@code tiles} (k² images, made s² BGR if they
     * are not), tile index dy·k + dx.
     */
    public static void split(Mat crop, int k, List<Mat> tiles) {
        split(crop, k, tiles, 0);
    }

    /** {@link #split(Mat, int, List)} into {@code tiles} from index {@code first} on (several faces' tiles in one list). */
    public static void split(Mat crop, int k, List<Mat> tiles, int first) {
        int side = crop.cols() / k;
        check(crop, side, k, tiles, first);
        for (int dy = 0; dy < k; dy++) {
            try (Mat rows = rowsView(crop, k, dy)) {
                for (int dx = 0; dx < k; dx++) {
                    Mat tile = tiles.get(first + dy * k + dx);
                    tile.create(side, side, CV_8UC3);
                    mixChannels(rows, 1, tile, 1, ROWS_TO_TILE[dx], 3);
                }
            }
        }
    }

    /** Puts the k² tiles (s² BGR, index dy·k + dx) back at their pixels of {@code out}, made (s·k)² BGR. */
    public static void assemble(List<Mat> tiles, int k, Mat out) {
        assemble(tiles, 0, k, out);
    }

    /** {@link #assemble(List, int, Mat)} from the tiles at index {@code first} on. */
    public static void assemble(List<Mat> tiles, int first, int k, Mat out) {
        int side = tiles.size() <= first ? 0 : tiles.get(first).cols();
        out.create(side * k, side * k, CV_8UC3);
        check(out, side, k, tiles, first);
        for (int dy = 0; dy < k; dy++) {
            try (Mat rows = rowsView(out, k, dy)) {
                for (int dx = 0; dx < k; dx++) {
                    Mat tile = tiles.get(first + dy * k + dx);
                    if (tile.rows() != side || tile.cols() != side || tile.type() != CV_8UC3) {
                        throw new IllegalArgumentException("tile " + (dy * k + dx) + " is not a " + side + "x" + side
                                + " BGR image");
                    }
                    mixChannels(tile, 1, rows, 1, TILE_TO_ROWS[dx], 3);
                }
            }
        }
    }

    /** Rows dy, dy + k, … of {@code image} as an s × s image whose pixels are k of its pixels side by side. */
    private static Mat rowsView(Mat image, int k, int dy) {
        long rowBytes = image.step();
        int side = image.cols() / k;
        return new Mat(side, side, CV_8UC(3 * k), image.data().getPointer(dy * rowBytes), k * rowBytes);
    }

    private static void check(Mat image, int side, int k, List<Mat> tiles, int first) {
        int size = side * k;
        if (image.rows() != size || image.cols() != size || image.type() != CV_8UC3 || !image.isContinuous()) {
            throw new IllegalArgumentException("expected a continuous " + size + "x" + size + " BGR crop, got "
                    + image.cols() + "x" + image.rows() + " type " + image.type());
        }
        if (first < 0 || tiles.size() - first < k * k) {
            throw new IllegalArgumentException(k * k + " tiles needed from " + first + ", " + tiles.size() + " given");
        }
    }
}
