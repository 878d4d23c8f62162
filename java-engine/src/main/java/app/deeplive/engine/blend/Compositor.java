package app.deeplive.engine.blend;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2BGRA;
import static org.bytedeco.opencv.global.opencv_imgproc.blendLinear;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * out = m·face + (1 − m)·frame, in place, in 8-bit, on one region of the frame. Where m is 0 the frame keeps its
 * exact bytes; a BGRA frame keeps its alpha.
 */
public final class Compositor {
    private static final int[] ALPHA_TO_ALPHA = {3, 3};
    private Compositor() {}

    /**
     * @param frameRegion a header over the frame's region (BGR or BGRA, 8-bit), written in place
     * @param face the BGR (or, for a BGRA frame, BGRA: its alpha is overwritten) pixels to blend in, region-sized
     * @param weights CV_32F region-sized weights in [0, 1]
     */
    public static void blend(Mat frameRegion, Mat face, Mat weights) {
        try (Mat inverse = new Mat()) {
            weights.convertTo(inverse, opencv_core.CV_32F, -1.0, 1.0);
            if (frameRegion.channels() == 3) {
                blendLinear(face, frameRegion, weights, inverse, frameRegion);
                return;
            }
            // BGRA: give the face the frame's own alpha so the blend leaves alpha as it was.
            try (Mat face4 = face.channels() == 4 ? new Mat(face) : new Mat()) {
                if (face.channels() == 3) {
                    cvtColor(face, face4, COLOR_BGR2BGRA);
                }
                opencv_core.mixChannels(frameRegion, 1, face4, 1, ALPHA_TO_ALPHA, 1); // one pass, in place
                blendLinear(face4, frameRegion, weights, inverse, frameRegion);
            }
        }
    }
}
