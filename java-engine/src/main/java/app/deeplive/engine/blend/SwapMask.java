package app.deeplive.engine.blend;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.erode;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import app.deeplive.engine.analysis.align.SimilarityTransform;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * insightface's paste-back mask for inswapper results, built in a face region instead of the whole frame: the white
 * crop warped back, pixels above 20 set to 255, eroded by k = max(s/10, 10) and blurred with a 2·max(s/20, 5)+1
 * Gaussian, where s = √(h·w) of the white area's extent. The result is a float weight in [0, 1].
 */
public final class SwapMask {
    private SwapMask() {}

    /** The blend weights of a {@code cropSize}² crop in {@code region}; a new CV_32F Mat the caller closes. */
    public static Mat build(SimilarityTransform cropToFrame, int cropSize, FaceRegion region) {
        try (Mat white = new Mat(cropSize, cropSize, CV_8U, new Scalar(255.0));
                Mat warped = region.warpFromCrop(white, cropToFrame, INTER_LINEAR)) {
            threshold(warped, warped, 20, 255, THRESH_BINARY);
            int size;
            try (Rect extent = org.bytedeco.opencv.global.opencv_imgproc.boundingRect(warped)) {
                // insightface measures max − min of the white rows/columns (one less than the pixel count).
                int h = Math.max(0, extent.height() - 1);
                int w = Math.max(0, extent.width() - 1);
                size = (int) Math.sqrt((double) h * w);
            }
            int k = Math.max(size / 10, 10);
            try (Mat kernel = getStructuringElement(MORPH_RECT, new Size(k, k))) {
                erode(warped, warped, kernel);
            }
            int blur = 2 * Math.max(size / 20, 5) + 1;
            try (Size ksize = new Size(blur, blur)) {
                GaussianBlur(warped, warped, ksize, 0);
            }
            Mat weights = new Mat();
            warped.convertTo(weights, CV_32F, 1.0 / 255.0, 0.0);
            return weights;
        }
    }
}
