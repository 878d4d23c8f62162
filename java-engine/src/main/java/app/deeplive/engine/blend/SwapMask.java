package app.deeplive.engine.blend;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_DEFAULT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_ISOLATED;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.boundingRect;
import static org.bytedeco.opencv.global.opencv_imgproc.erode;
import static org.bytedeco.opencv.global.opencv_imgproc.morphologyDefaultBorderValue;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.sepFilter2D;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.analysis.align.AffineWarp;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * insightface's paste-back mask for inswapper results, built in a face region instead of the whole frame: the white
 * crop warped back, pixels above 20 set to 255, eroded by k = max(s/10, 10) and blurred with a 2·max(s/20, 5)+1
 * Gaussian, where s = √(h·w) of the white area's extent. The result is an 8-bit weight (255 = the face only).
 *
 * <p>Above 100 px both sizes grow in proportion to the face, so the mask is the same shape at any scale: a face
 * larger than {@link #EXACT_LIMIT} px gets the mask worked out at that size (the eroded square computed, not
 * rasterised on the coarse grid) and scaled up with a bilinear resize, instead of eroding and blurring a megapixel
 * with 100 px kernels.
 *
 * <p>The working images are kept from one face to the next; one SwapMask serves one thread. Close it.
 */
public final class SwapMask implements AutoCloseable {
    /** Faces up to this size (in frame pixels) get the mask computed at full resolution. */
    public static final int EXACT_LIMIT = 256;
    /** Side of the white image drawn for a scaled mask: large, so its anti-aliased edge is a fraction of a pixel. */
    private static final int SQUARE = 512;
    /** How far past its edge pixels a bilinearly warped white crop stays above insightface's threshold of 20. */
    private static final double E = 235.0 / 255.0;
    /** The square's edges as pairs of its corners (0, 0), (1, 0), (1, 1), (0, 1): left, top, right, bottom. */
    private static final int[][] EDGES = {{0, 3}, {0, 1}, {1, 2}, {3, 2}};

    private final ScratchImage canvas = new ScratchImage();
    private final ScratchImage scaled = new ScratchImage();
    private final ScratchImage floats = new ScratchImage();
    private final Mat white = new Mat();
    private final RegionView inner = new RegionView();
    private final RegionView view = new RegionView();
    private final AffineWarp warp = new AffineWarp();
    private final Size auto = new Size(0, 0);
    private final Scalar zero = new Scalar(0.0);
    private final Point anchor = new Point();
    private final Point centre = new Point(-1, -1);
    private final Scalar erosionBorder = morphologyDefaultBorderValue();
    // The erosion's k×k box of ones (getStructuringElement's MORPH_RECT), remade in place when k changes, and the
    // last few blur kernels: each face of a stream needs the same ones frame after frame.
    private final Mat erosionKernel = new Mat();
    private final Scalar one = new Scalar(1.0);
    private final GaussianKernels blurKernels = new GaussianKernels();
    private Mat square;
    private FaceRegion support;

    /**
     * The 8-bit blend weights of a {@code cropSize}² crop over {@code region} (of a frameWidth×frameHeight frame,
     * as {@link FaceRegion#of} made it): a region-sized view into this mask's
     * memory, valid until the next build (do not close it). When {@link #support()} is then null nothing of the
     * face shows and the result is not to be used.
     */
    public Mat build(SimilarityTransform cropToFrame, int cropSize, FaceRegion region, int frameWidth,
            int frameHeight) {
        double faceSize = cropToFrame.scale() * cropSize;
        double r = faceSize <= EXACT_LIMIT ? 1.0 : EXACT_LIMIT / faceSize;
        double[] m = cropToFrame.matrix();
        // Crop → canvas pixels: region pixel x lands on canvas pixel (x + ½)·r − ½, the sampling a bilinear
        // resize by 1/r reads back (r = 1: the region itself).
        double shift = 0.5 * r - 0.5;
        int w = r == 1.0 ? region.width() : (int) Math.ceil(region.width() * r) + 1;
        int h = r == 1.0 ? region.height() : (int) Math.ceil(region.height() * r) + 1;
        Mat mask;
        if (r == 1.0) {
            SimilarityTransform toCanvas = SimilarityTransform.of(cropToFrame.scale(), cropToFrame.rotation(),
                    m[2] - region.x(), m[5] - region.y());
            mask = canvas.get(h, w, CV_8U);
            insightfaceMask(mask, toCanvas, cropSize);
        } else {
            // The region's sides that are the frame's edges: there insightface's erosion and blur see the frame's
            // border (no erosion, a reflected blur); elsewhere the frame goes on with zeros, which the canvas gets
            // as padding as wide as the blur reaches.
            boolean[] edge = {region.x() == 0, region.y() == 0, region.x() + region.width() == frameWidth,
                region.y() + region.height() == frameHeight};
            Kernels kernels = new Kernels(visibleExtent(cropToFrame, cropSize, frameWidth, frameHeight));
            int pad = Math.max(1, (int) Math.round(kernels.half * r)) + 2;
            int left = edge[0] ? 0 : pad, top = edge[1] ? 0 : pad;
            int right = edge[2] ? 0 : pad, bottom = edge[3] ? 0 : pad;
            SimilarityTransform toCanvas = SimilarityTransform.of(r * cropToFrame.scale(), cropToFrame.rotation(),
                    r * (m[2] - region.x()) + shift + left, r * (m[5] - region.y()) + shift + top);
            Mat padded = canvas.get(h + top + bottom, w + left + right, CV_8U);
            scaledMask(padded, toCanvas, cropSize, cropToFrame.scale(), r, kernels,
                    outsideFrame(cropToFrame, cropSize, frameWidth, frameHeight));
            mask = inner.of(padded, left, top, w, h);
        }
        int x0, y0, x1, y1;
        try (Rect nonZero = boundingRect(mask)) {
            if (nonZero.width() == 0 || nonZero.height() == 0) {
                support = null;
                return mask; // nothing of the face shows
            }
            if (r == 1.0) {
                support = new FaceRegion(nonZero.x(), nonZero.y(), nonZero.width(), nonZero.height());
                return mask;
            }
            // A scaled-up pixel reads the two canvas pixels around (x + ½)·r − ½: nonzero only near the canvas's.
            x0 = (int) Math.floor((nonZero.x() - 0.5) / r - 0.5) - 1;
            y0 = (int) Math.floor((nonZero.y() - 0.5) / r - 0.5) - 1;
            x1 = (int) Math.ceil((nonZero.x() + nonZero.width() + 0.5) / r - 0.5) + 1;
            y1 = (int) Math.ceil((nonZero.y() + nonZero.height() + 0.5) / r - 0.5) + 1;
        }
        // Given a scale factor (no size), resize maps exactly (x + ½)·r − ½ and picks the size round(w / r).
        double grow = 1 / r;
        Mat up = scaled.get((int) Math.rint(h * grow), (int) Math.rint(w * grow), CV_8U);
        resize(mask, up, auto, grow, grow, INTER_LINEAR);
        x0 = Math.max(0, x0);
        y0 = Math.max(0, y0);
        x1 = Math.min(region.width(), x1);
        y1 = Math.min(region.height(), y1);
        support = new FaceRegion(x0, y0, x1 - x0, y1 - y0);
        // resize rounds the size up: the region is its top-left part
        return view.of(up, 0, 0, region.width(), region.height());
    }

    /**
     * Where the last built mask is not 0, in region coordinates (a box that may hold some zeros), or {@code null}
     * when it is 0 everywhere.
     */
    public FaceRegion support() {
        return support;
    }

    /** insightface's recipe at full resolution, on the region-sized canvas where the crop lands by {@code cropToCanvas}. */
    private void insightfaceMask(Mat mask, SimilarityTransform cropToCanvas, int cropSize) {
        if (white.rows() != cropSize) {
            white.create(cropSize, cropSize, CV_8U);
            try (Scalar full = new Scalar(255.0)) {
                white.put(full);
            }
        }
        warp.apply(white, cropToCanvas, 0, 0, INTER_LINEAR, mask, mask.cols(), mask.rows());
        threshold(mask, mask, 20, 255, THRESH_BINARY);
        int size;
        try (Rect extent = boundingRect(mask)) {
            // insightface measures max − min of the white rows/columns (one less than the pixel count).
            size = (int) Math.sqrt((double) Math.max(0, extent.height() - 1) * Math.max(0, extent.width() - 1));
        }
        Kernels kernels = new Kernels(size);
        if (erosionKernel.rows() != kernels.k) {
            erosionKernel.create(kernels.k, kernels.k, CV_8U);
            erosionKernel.put(one);
        }
        // Isolated (here and in the blur): the canvas alone, not the working memory around it.
        erode(mask, mask, erosionKernel, anchor.x(kernels.before).y(kernels.before), 1,
                BORDER_CONSTANT | BORDER_ISOLATED, erosionBorder);
        blur(mask, kernels.half, kernels.sigma);
    }

    /**
     * The same mask on a canvas scaled by r < 1, worked out rather than rasterised at a coarse grid (where the
     * threshold and the erosion would move the edges by up to 1/r frame pixels). The thresholded crop is the square
     * of crop coordinates −e … size − 1 + e (bilinear taps reach past the edge pixels; e = 235/255 is where they
     * fall to 20); eroding a convex shape by an axis-aligned box moves each edge inwards by the box's extent along
     * that edge's normal, so the eroded square is again a square in crop coordinates. It is drawn with a thin
     * anti-aliased edge and blurred with the Gaussian's σ scaled by r. At the frame's edge the canvas ends (the blur
     * reflects there, as insightface's does) and an edge of the square wholly outside the frame is not eroded;
     * one that crosses the frame's edge is eroded along its whole length (insightface: only from the visible
     * part), which differs within the erosion's reach of the crossing.
     */
    private void scaledMask(Mat mask, SimilarityTransform cropToCanvas, int cropSize, double scale, double r,
            Kernels kernels, boolean[] outside) {
        double side = cropSize - 1 + 2 * E; // crop units
        double[] m = cropToCanvas.matrix();
        double ux = m[0] / (r * scale), uy = m[3] / (r * scale); // the crop's u axis in frame directions
        double vx = m[1] / (r * scale), vy = m[4] / (r * scale);
        // Inward shift of each edge, in crop units: the box −before … after reaches furthest along the normal n.
        // An edge wholly outside the frame is not eroded: insightface's erosion sees no zeros beyond it.
        double left = outside[0] ? 0 : kernels.reach(-ux, -uy) / scale;
        double top = outside[1] ? 0 : kernels.reach(-vx, -vy) / scale;
        double right = outside[2] ? 0 : kernels.reach(ux, uy) / scale;
        double bottom = outside[3] ? 0 : kernels.reach(vx, vy) / scale;
        double u0 = -E + left, v0 = -E + top;
        double width = side - left - right, height = side - top - bottom;
        if (!(width > 0 && height > 0)) {
            mask.put(zero);
            return;
        }
        if (square == null) {
            square = new Mat(SQUARE, SQUARE, CV_8U);
            try (Scalar full = new Scalar(255.0)) {
                square.put(full);
            }
        }
        // A white SQUARE² image covers −½ … SQUARE − ½ (its bilinear edge's midpoint): map that onto the eroded
        // rectangle (crop axes scaled by qu, qv), then onto the canvas.
        double qu = width / SQUARE, qv = height / SQUARE;
        double[] origin = cropToCanvas.apply(u0 + 0.5 * qu, v0 + 0.5 * qv);
        warp.apply(square, m[0] * qu, m[1] * qv, origin[0], m[3] * qu, m[4] * qv, origin[1], INTER_LINEAR, mask,
                mask.cols(), mask.rows());
        blur(mask, Math.max(1, (int) Math.round(kernels.half * r)), kernels.sigma * r);
    }

    /**
     * GaussianBlur with a (2·half + 1)² kernel, in place, as a separable float filter rounded back to 8 bits once:
     * within a level of OpenCV's bit-exact 8-bit Gaussian and a third of its cost at these kernel sizes.
     */
    private void blur(Mat mask, int half, double sigma) {
        Mat blurred = floats.get(mask.rows(), mask.cols(), CV_32F);
        Mat kernel = blurKernels.get(half, sigma);
        sepFilter2D(mask, blurred, CV_32F, kernel, kernel, centre, 0, BORDER_DEFAULT | BORDER_ISOLATED);
        blurred.convertTo(mask, CV_8U);
    }

    /**
     * What insightface measures as the white area's size, √(h·w) of max − min of the frame rows/columns it covers:
     * the thresholded square's bounding box, cut to the frame (a face partly outside gets a smaller feather).
     */
    private static int visibleExtent(SimilarityTransform cropToFrame, int cropSize, int frameWidth, int frameHeight) {
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        double[] m = cropToFrame.matrix(); // one array, not one per corner (what apply() gives)
        for (int corner = 0; corner < 4; corner++) {
            double u = -E + (corner & 1) * (cropSize - 1 + 2 * E), v = -E + (corner >> 1) * (cropSize - 1 + 2 * E);
            double px = m[0] * u + m[1] * v + m[2], py = m[3] * u + m[4] * v + m[5];
            minX = Math.min(minX, px);
            maxX = Math.max(maxX, px);
            minY = Math.min(minY, py);
            maxY = Math.max(maxY, py);
        }
        // Within the frame the pixel centres inside span one pixel less than the area on average; at a frame edge
        // the first pixel is exactly there.
        double w = Math.min(maxX, frameWidth - 1) - Math.max(minX, 0) - (minX < 0 ? 0 : 0.5) - (maxX > frameWidth - 1 ? 0 : 0.5);
        double h = Math.min(maxY, frameHeight - 1) - Math.max(minY, 0) - (minY < 0 ? 0 : 0.5) - (maxY > frameHeight - 1 ? 0 : 0.5);
        return (int) Math.sqrt(Math.max(0, w) * Math.max(0, h));
    }

    /** Which edges of the thresholded square ({left, top, right, bottom} in crop terms) lie wholly outside the frame. */
    private static boolean[] outsideFrame(SimilarityTransform cropToFrame, int cropSize, int frameWidth,
            int frameHeight) {
        double lo = -E, hi = cropSize - 1 + E;
        double[][] corners = {cropToFrame.apply(lo, lo), cropToFrame.apply(hi, lo), cropToFrame.apply(hi, hi),
            cropToFrame.apply(lo, hi)};
        boolean[] out = new boolean[4];
        for (int i = 0; i < 4; i++) {
            double[] a = corners[EDGES[i][0]], b = corners[EDGES[i][1]];
            out[i] = (a[0] < 0 && b[0] < 0) || (a[1] < 0 && b[1] < 0) || (a[0] > frameWidth - 1 && b[0] > frameWidth - 1)
                    || (a[1] > frameHeight - 1 && b[1] > frameHeight - 1);
        }
        return out;
    }

    /** insightface's kernel sizes for a white area of extent {@code size} frame pixels. */
    private static final class Kernels {
        final int k;
        final int before;
        final int after;
        final int half;
        final double sigma;

        Kernels(int size) {
            k = Math.max(size / 10, 10);
            before = k / 2; // OpenCV's default anchor: the kernel covers −k/2 … k − 1 − k/2
            after = k - 1 - before;
            half = Math.max(size / 20, 5);
            sigma = 0.3 * (half - 1) + 0.8; // what OpenCV derives from the size 2·half + 1
        }

        /** How far the erosion box reaches along the unit direction (nx, ny), in frame pixels. */
        double reach(double nx, double ny) {
            return (nx >= 0 ? after * nx : -before * nx) + (ny >= 0 ? after * ny : -before * ny);
        }
    }

    /** Bytes of native memory held for working images. */
    long workingBytes() {
        return canvas.capacity() + scaled.capacity() + floats.capacity();
    }

    @Override
    public void close() {
        view.close();
        inner.close();
        warp.close();
        auto.close();
        zero.close();
        anchor.close();
        centre.close();
        erosionBorder.close();
        erosionKernel.close();
        one.close();
        blurKernels.close();
        if (square != null) {
            square.close();
            square = null;
        }
        canvas.close();
        scaled.close();
        floats.close();
        white.close();
    }
}
