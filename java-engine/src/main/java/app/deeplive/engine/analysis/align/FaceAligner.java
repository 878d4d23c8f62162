package app.deeplive.engine.analysis.align;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Cuts aligned face crops out of a frame. warpAffine straight into the template-sized destination computes only
 * the crop's pixels, reading just the face region of the frame; a BGRA frame is converted only after the warp, on
 * the small crop.
 */
public final class FaceAligner {
    private FaceAligner() {}

    /**
     * The face with keypoints {@code kps} (frame coordinates, see {@code Face}) warped onto {@code template}.
     *
     * @param frame an 8-bit BGR or BGRA image; it is only read
     * @return a new BGR crop of the template's size and the transform used
     */
    public static AlignedCrop crop(Mat frame, float[] kps, FaceTemplate template) {
        SimilarityTransform t = template.transformFrom(kps);
        return new AlignedCrop(warp(frame, t, template.size()), t);
    }

    /** The frame warped by {@code frameToCrop} into a new {@code size}×{@code size} BGR image. */
    public static Mat warp(Mat frame, SimilarityTransform frameToCrop, int size) {
        Mat out = new Mat(size, size, CV_8UC3);
        if (frame.channels() == 3) {
            warpKeepingFormat(frame, frameToCrop, size, out);
        } else {
            try (Mat bgra = new Mat()) {
                warpKeepingFormat(frame, frameToCrop, size, bgra);
                cvtColor(bgra, out, COLOR_BGRA2BGR);
            }
        }
        return out;
    }

    /**
     * Warps into {@code dst} ({@code size}×{@code size}, the frame's own pixel format), reusing its memory when it
     * already has that size and format: for per-frame crops that a model input converts anyway.
     */
    public static void warpKeepingFormat(Mat frame, SimilarityTransform frameToCrop, int size, Mat dst) {
        int channels = frame.channels();
        if (frame.depth() != 0 || (channels != 3 && channels != 4)) {
            throw new IllegalArgumentException("expected an 8-bit BGR or BGRA frame, got type " + frame.type());
        }
        try (Mat m = frameToCrop.toMat(); Size dsize = new Size(size, size); Scalar black = new Scalar(0.0)) {
            warpAffine(frame, dst, m, dsize, INTER_LINEAR, BORDER_CONSTANT, black);
        }
    }
}
