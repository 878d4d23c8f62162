package app.deeplive.engine.blend;

import static org.bytedeco.opencv.global.opencv_core.ALGO_HINT_DEFAULT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_DEFAULT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_ISOLATED;
import static org.bytedeco.opencv.global.opencv_core.addWeighted;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/** Unsharp masking as Deep-Live-Cam does it: (1 + s)·x − s·GaussianBlur(x, σ 3), saturated to 8 bits. */
public final class Sharpen {
    public static final double SIGMA = 3.0;

    private Sharpen() {}

    /** Sharpens {@code image} in place; s ≤ 0 leaves it as it is. */
    public static void apply(Mat image, double strength) {
        if (!(strength > 0)) {
            return;
        }
        try (ScratchImage work = new ScratchImage()) {
            apply(image, strength, work);
        }
    }

    /** {@link #apply(Mat, double)} with the blurred copy in {@code work} (kept from frame to frame). */
    public static void apply(Mat image, double strength, ScratchImage work) {
        if (!(strength > 0)) {
            return;
        }
        Mat blurred = work.get(image.rows(), image.cols(), image.type());
        try (Size auto = new Size(0, 0)) {
            // Isolated: the image alone, not what lies around it when it is a view into a larger one.
            GaussianBlur(image, blurred, auto, SIGMA, 0.0, BORDER_DEFAULT | BORDER_ISOLATED, ALGO_HINT_DEFAULT);
        }
        addWeighted(image, 1.0 + strength, blurred, -strength, 0.0, image);
    }
}
