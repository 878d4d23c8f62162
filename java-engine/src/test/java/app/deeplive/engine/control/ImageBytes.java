package app.deeplive.engine.control;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/** Small encoded test images of one colour. */
final class ImageBytes {
    private ImageBytes() {}

    /** A PNG of one colour: blue = {@code blue}, green = blue / 2, red = 0. */
    static byte[] png(int width, int height, int blue) {
        return png(width, height, blue, blue / 2);
    }

    /** A PNG of one colour: blue and green as given, red = 0. */
    static byte[] png(int width, int height, int blue, int green) {
        try (Mat m = new Mat(height, width, CV_8UC3, new Scalar(blue, green, 0, 0)); BytePointer out = new BytePointer()) {
            if (!imencode(".png", m, out)) {
                throw new IllegalStateException("PNG encoding failed");
            }
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }
}
