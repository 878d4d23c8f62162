package app.deeplive.engine.analysis.align;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * {@code warpAffine} with a zero border through one reused 2×3 matrix, size and border value, for warps made every
 * frame: {@link SimilarityTransform#toMat()} and a new {@code Size} and {@code Scalar} per call would each be a
 * native object (and a Java one with its deallocator) per face per frame. Into a destination that already has the
 * output's size and type, nothing is allocated. Not thread-safe; close it.
 */
public final class AffineWarp implements AutoCloseable {
    private final Mat matrix = new Mat(2, 3, CV_64F);
    private final DoublePointer values = new DoublePointer(matrix.data()); // row-major m00 … m12
    private final Size size = new Size();
    private final Scalar zero = new Scalar(0.0);

    /**
     * {@code dst} (width×height) pixel (u, v) = {@code src} at {@code t}⁻¹(u − shiftX, v − shiftY): {@code src}
     * warped by {@code t} and then moved by (shiftX, shiftY), e.g. (−x, −y) to land a frame's region at the origin.
     *
     * @param interpolation an OpenCV INTER_* flag
     */
    public void apply(Mat src, SimilarityTransform t, double shiftX, double shiftY, int interpolation, Mat dst,
            int width, int height) {
        double[] m = t.matrix();
        apply(src, m[0], m[1], m[2] + shiftX, m[3], m[4], m[5] + shiftY, interpolation, dst, width, height);
    }

    /** {@code warpAffine} with the row-major 2×3 matrix {@code [m00 m01 m02; m10 m11 m12]}. */
    public void apply(Mat src, double m00, double m01, double m02, double m10, double m11, double m12,
            int interpolation, Mat dst, int width, int height) {
        values.put(0, m00).put(1, m01).put(2, m02).put(3, m10).put(4, m11).put(5, m12);
        size.width(width).height(height);
        warpAffine(src, dst, matrix, size, interpolation, BORDER_CONSTANT, zero);
    }

    @Override
    public void close() {
        values.close();
        matrix.close();
        size.close();
        zero.close();
    }
}
