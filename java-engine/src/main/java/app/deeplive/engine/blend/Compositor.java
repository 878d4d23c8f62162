package app.deeplive.engine.blend;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGRA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * out = m·face + (1 − m)·frame, in place, in 8-bit, on one region of the frame. Where m is 0 the frame keeps its
 * exact bytes; a BGRA frame keeps its alpha.
 */
public final class Compositor {
    private static final int[] BGR_TO_BGR = {0, 0, 1, 1, 2, 2};
    private static final double PER_255 = 1.0 / 255.0;

    private Compositor() {}

    /**
     * The 8-bit blend, (m·face + (255 − m)·frame) / 255 with each product rounded (within one level of the exact
     * value; m = 255 gives the face's bytes and m = 0 the frame's, exactly), in five vectorised passes over the
     * region and no float image.
     *
     * @param frameRegion a header over the frame's region (BGR or BGRA, 8-bit), written in place
     * @param face the pixels to blend in, region-sized, with the frame's channel count; used as working memory
     * @param weights CV_8U region-sized weights, 255 = the face only
     * @param work1 working memory for a region-sized image
     * @param work2 working memory for another
     */
    public static void blend(Mat frameRegion, Mat face, Mat weights, ScratchImage work1, ScratchImage work2) {
        int channels = frameRegion.channels();
        Mat keep = work1.get(weights.rows(), weights.cols(), weights.type());
        opencv_core.bitwise_not(weights, keep);
        Mat frameWeights = work2.get(weights.rows(), weights.cols(), CV_8UC(channels));
        // Grey → BGRA sets alpha to 255: the frame's alpha is kept whole and (negated below) the face's dropped.
        cvtColor(keep, frameWeights, channels == 4 ? COLOR_GRAY2BGRA : COLOR_GRAY2BGR);
        Mat faceWeights = work1.get(weights.rows(), weights.cols(), CV_8UC(channels));
        opencv_core.bitwise_not(frameWeights, faceWeights);
        opencv_core.multiply(face, faceWeights, face, PER_255, -1);
        opencv_core.multiply(frameRegion, frameWeights, frameWeights, PER_255, -1);
        opencv_core.add(face, frameWeights, frameRegion);
    }

    /** Where the weights are all 255: the face's colour channels copied in, a BGRA frame's alpha kept. */
    public static void copy(Mat frameRegion, Mat face) {
        if (frameRegion.channels() == 3) {
            face.copyTo(frameRegion);
        } else {
            opencv_core.mixChannels(face, 1, frameRegion, 1, BGR_TO_BGR, 3);
        }
    }
}
