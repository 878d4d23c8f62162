package app.deeplive.engine.onnx;

import static org.bytedeco.opencv.global.opencv_core.CV_16F;
import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_core.CV_MAKETYPE;
import static org.bytedeco.opencv.global.opencv_core.CV_MAT_CN;
import static org.bytedeco.opencv.global.opencv_core.CV_MAT_DEPTH;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * An image's memory as OpenCV's channel shuffle ({@code mixChannels}) can take it. That function has no float16
 * kernel, but it only moves elements: a float16 image is shuffled as the 16-bit unsigned image with the same bits.
 * The alias header is remade only when the image's memory moves, so a frame allocates nothing.
 */
final class SameBits implements AutoCloseable {
    private Mat alias;
    private long address;

    /** The element type a shuffle sees for {@code type}: 16-bit unsigned for float16, else itself. */
    static int shuffleType(int type) {
        return CV_MAT_DEPTH(type) == CV_16F ? CV_MAKETYPE(CV_16U, CV_MAT_CN(type)) : type;
    }

    /** {@code image} itself, or for float16 a header over the same memory typed for the shuffle. */
    Mat of(Mat image) {
        if (CV_MAT_DEPTH(image.type()) != CV_16F) {
            return image;
        }
        long at = image.data().address();
        if (alias == null || at != address || alias.rows() != image.rows() || alias.cols() != image.cols()
                || alias.channels() != image.channels()) {
            close();
            alias = new Mat(image.rows(), image.cols(), shuffleType(image.type()), image.data(), image.step());
            address = at;
        }
        return alias;
    }

    @Override
    public void close() {
        if (alias != null) {
            alias.close();
            alias = null;
        }
    }
}
