package app.deeplive.engine.blend;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.boundingRect;
import static org.bytedeco.opencv.global.opencv_imgproc.erode;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.morphologyDefaultBorderValue;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import app.deeplive.engine.analysis.align.SimilarityTransform;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * insightface's paste-back mask for inswapper results, built in a face region instead of the whole frame: the white
 * crop warped back, pixels above 20 set to 255, eroded by k = max(s/10, 10) and blurred with a 2·max(s/20, 5)+1
 * Gaussian, where s = √(h·w) of the white area's extent. The result is a float weight in [0, 1].
 *
 * <p>Above 100 px both sizes grow in proportion to the face, so the mask is the same shape at any scale: a face
 * larger than {@link #EXACT_LIMIT} px gets the mask computed at that size and scaled up (smooth, so bilinear
 * scaling costs under one 8-bit level), instead of eroding and blurring a megapixel with 100 px kernels.
 */
public final class SwapMask {
    /** Faces up to this size (in frame pixels) get the mask computed at full resolution. */
    public static final int EXACT_LIMIT = 256;

    private SwapMask() {}

    /** The blend weights of a {@code cropSize}² crop in {@code region}; a new CV_32F Mat the caller closes. */
    public static Mat build(SimilarityTransform cropToFrame, int cropSize, FaceRegion region) {
        double faceSize = cropToFrame.scale() * cropSize;
        double r = faceSize <= EXACT_LIMIT ? 1.0 : EXACT_LIMIT / faceSize;
        double[] m = cropToFrame.matrix();
        // Crop → region pixels, scaled by r: one similarity with the region's origin moved to (0, 0).
        SimilarityTransform toMaskSpace = SimilarityTransform.of(r * cropToFrame.scale(), cropToFrame.rotation(),
                r * (m[2] - region.x()), r * (m[5] - region.y()));
        int w = r == 1.0 ? region.width() : (int) Math.ceil(region.width() * r) + 1;
        int h = r == 1.0 ? region.height() : (int) Math.ceil(region.height() * r) + 1;
        Mat weights = new Mat();
        try (Mat mask = insightfaceMask(toMaskSpace, cropSize, w, h, r)) {
            if (r == 1.0) {
                mask.convertTo(weights, CV_32F, 1.0 / 255.0, 0.0);
                return weights;
            }
            try (Mat up = new Mat(); Mat scale = new Mat(2, 3, CV_64F, new Scalar(0.0));
                    Size size = new Size(region.width(), region.height()); Scalar zero = new Scalar(0.0)) {
                try (DoubleIndexer idx = scale.createIndexer()) {
                    idx.put(0, 0, r).put(1, 1, r); // destination → source map, applied inverted below
                }
                warpAffine(mask, up, scale, size, INTER_LINEAR | org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP,
                        BORDER_CONSTANT, zero);
                up.convertTo(weights, CV_32F, 1.0 / 255.0, 0.0);
            }
        }
        return weights;
    }

    /**
     * insightface's recipe on a w×h canvas where the crop lands by {@code cropToCanvas}; 8-bit. The canvas is the
     * frame region scaled by {@code r} (1 = full resolution): sizes are worked out in frame pixels as insightface
     * does, then the erosion (with its anchor) and the Gaussian (its σ) are scaled by r, so the result is the
     * frame-resolution mask sampled coarser rather than a different mask.
     */
    private static Mat insightfaceMask(SimilarityTransform cropToCanvas, int cropSize, int w, int h, double r) {
        Mat mask = new Mat();
        try (Mat white = new Mat(cropSize, cropSize, CV_8U, new Scalar(255.0)); Mat m = cropToCanvas.toMat();
                Size size = new Size(w, h); Scalar zero = new Scalar(0.0)) {
            warpAffine(white, mask, m, size, INTER_LINEAR, BORDER_CONSTANT, zero);
        }
        threshold(mask, mask, 20, 255, THRESH_BINARY);
        int size;
        try (Rect extent = boundingRect(mask)) {
            // insightface measures max − min of the white rows/columns (one less than the pixel count).
            double eh = Math.max(0, extent.height() - 1) / r;
            double ew = Math.max(0, extent.width() - 1) / r;
            size = (int) Math.sqrt(eh * ew);
        }
        int k = Math.max(size / 10, 10);
        int before = k / 2; // OpenCV's default anchor: the kernel covers −k/2 … k − 1 − k/2
        int after = k - 1 - before;
        int b = (int) Math.round(before * r);
        int a = (int) Math.round(after * r);
        try (Mat kernel = getStructuringElement(MORPH_RECT, new Size(a + b + 1, a + b + 1));
                Point anchor = new Point(b, b); Scalar border = morphologyDefaultBorderValue()) {
            erode(mask, mask, kernel, anchor, 1, BORDER_CONSTANT, border);
        }
        int half = Math.max(size / 20, 5);
        double sigma = 0.3 * (half - 1) + 0.8; // what OpenCV derives from the size 2·half + 1
        int smallHalf = Math.max(1, (int) Math.round(half * r));
        try (Size ksize = new Size(2 * smallHalf + 1, 2 * smallHalf + 1)) {
            GaussianBlur(mask, mask, ksize, sigma * r);
        }
        return mask;
    }
}
