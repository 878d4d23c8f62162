package app.deeplive.engine.blend;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2BGRA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import app.deeplive.engine.analysis.align.SimilarityTransform;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Puts a swapped face back into the frame, in place and only inside the face's region: the result is warped back
 * with the inverse of the crop transform, optionally sharpened, and blended with insightface's feathered mask scaled
 * by the opacity, with the original mouth kept where a mouth polygon is given.
 */
public final class FacePaste {
    private FacePaste() {}

    /**
     * @param frame the 8-bit BGR/BGRA frame, modified in place
     * @param swapped the model's square BGR result (after any colour correction)
     * @param frameToCrop the transform the crop was cut with
     * @param mouthPolygon the grown mouth polygon in frame coordinates (see {@link MouthMask#polygon}), or null
     */
    public static void paste(Mat frame, Mat swapped, SimilarityTransform frameToCrop, BlendOptions options,
            float[] mouthPolygon) {
        if (options.opacity() <= 0) {
            return; // opacity 0: the frame stays exactly as it was
        }
        SimilarityTransform cropToFrame = frameToCrop.inverse();
        FaceRegion region = FaceRegion.of(cropToFrame, swapped.cols(), frame.cols(), frame.rows());
        if (region == null) {
            return;
        }
        try (Mat face = warpFace(swapped, cropToFrame, region, frame.channels());
                Mat weights = SwapMask.build(cropToFrame, swapped.cols(), region);
                Mat frameRegion = region.of(frame)) {
            Sharpen.apply(face, options.sharpness());
            if (options.opacity() < 1) {
                weights.convertTo(weights, weights.type(), options.opacity(), 0.0);
            }
            if (mouthPolygon != null) {
                MouthMask.keepOriginalMouth(weights, region, mouthPolygon);
            }
            Compositor.blend(frameRegion, face, weights);
        }
    }

    /** The swapped crop warped into the region, already in the frame's channel layout (converting 128² is cheap). */
    private static Mat warpFace(Mat swapped, SimilarityTransform cropToFrame, FaceRegion region, int channels) {
        if (channels == 3) {
            return region.warpFromCrop(swapped, cropToFrame, INTER_LINEAR);
        }
        try (Mat bgra = new Mat()) {
            cvtColor(swapped, bgra, COLOR_BGR2BGRA);
            return region.warpFromCrop(bgra, cropToFrame, INTER_LINEAR);
        }
    }
}
