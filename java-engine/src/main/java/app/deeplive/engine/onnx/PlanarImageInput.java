package app.deeplive.engine.onnx;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.split;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * A reusable [1, 3, H, W] float32 RGB model input: one direct buffer, an ONNX tensor wrapping it without a copy,
 * and OpenCV planes over its R, G and B thirds. {@link #fill} turns a small 8-bit BGR/BGRA image into
 * (x − mean) / std in place; {@link #fillTopLeft} does so for a smaller image (a letterbox), writing the constant
 * padding only when the image size changes. Nothing is allocated per call once the first image has been seen.
 * Not thread-safe.
 */
public final class PlanarImageInput implements AutoCloseable {
    private final int width;
    private final int height;
    private final FloatBuffer buffer;
    private final OnnxTensor tensor;
    private final FloatPointer[] planePointers = new FloatPointer[3];
    private final Mat[] planes = new Mat[3];
    private final MatVector regionPlanes = new MatVector(3);
    private final Mat rgb = new Mat();
    private final Mat floats = new Mat();
    private int regionWidth = -1;
    private int regionHeight = -1;
    private double padding = Double.NaN;

    public PlanarImageInput(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("input size must be positive: " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        int plane = width * height;
        buffer = ByteBuffer.allocateDirect(3 * plane * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        try {
            tensor = OnnxTensor.createTensor(OrtSessions.environment(), buffer, new long[] {1, 3, height, width});
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create input tensor: " + e.getMessage(), e);
        }
        for (int c = 0; c < 3; c++) {
            planePointers[c] = new FloatPointer(buffer.duplicate().position(c * plane).slice());
            planes[c] = new Mat(height, width, CV_32FC1, planePointers[c]);
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The tensor over the buffer; owned by this object. */
    public OnnxTensor tensor() {
        return tensor;
    }

    /** The raw buffer (position 0), e.g. for inspection in tests. */
    public FloatBuffer buffer() {
        return buffer.duplicate().clear();
    }

    /** Writes {@code image} (8-bit BGR or BGRA, exactly width × height) as planar RGB, each value (x − mean) / std. */
    /** {@link #fill(Mat, double, double)} with a model's named normalisation. */
    public void fill(Mat image, Normalisation n) {
        fill(image, n.mean(), n.std());
    }

    /** {@link #fillTopLeft(Mat, double, double)} with a model's named normalisation. */
    public void fillTopLeft(Mat image, Normalisation n) {
        fillTopLeft(image, n.mean(), n.std());
    }

    public void fill(Mat image, double mean, double std) {
        if (image.cols() != width || image.rows() != height) {
            throw new IllegalArgumentException("expected a " + width + "x" + height + " image, got " + image.cols() + "x"
                    + image.rows());
        }
        fillTopLeft(image, mean, std);
    }

    /**
     * Writes {@code image} (8-bit BGR or BGRA, at most width × height) into the top-left of the input as planar RGB,
     * (x − mean) / std; the rest holds a black pixel's value, (0 − mean) / std.
     */
    public void fillTopLeft(Mat image, double mean, double std) {
        int w = image.cols();
        int h = image.rows();
        if (w < 1 || h < 1 || w > width || h > height || image.depth() != 0
                || (image.channels() != 3 && image.channels() != 4)) {
            throw new IllegalArgumentException("expected an 8-bit BGR(A) image of at most " + width + "x" + height
                    + ", got " + w + "x" + h + " type " + image.type());
        }
        double pad = -mean / std;
        if (w != regionWidth || h != regionHeight || pad != padding) {
            useRegion(w, h, pad);
        }
        cvtColor(image, rgb, image.channels() == 4 ? COLOR_BGRA2RGB : COLOR_BGR2RGB);
        rgb.convertTo(floats, CV_32FC3, 1.0 / std, pad);
        split(floats, regionPlanes);
        // split() reuses destinations of the right size and type; make sure it really wrote into the tensor.
        for (int c = 0; c < 3; c++) {
            if (regionPlanes.get(c).data().address() != planePointers[c].address()) {
                throw new IllegalStateException("OpenCV reallocated an input plane");
            }
        }
    }

    private void useRegion(int w, int h, double pad) {
        try (Rect r = new Rect(0, 0, w, h); Scalar value = new Scalar(pad)) {
            for (int c = 0; c < 3; c++) {
                if (w < width || h < height) {
                    planes[c].put(value);
                }
                try (Mat region = new Mat(planes[c], r)) {
                    regionPlanes.put(c, region); // the vector keeps its own header
                }
            }
        }
        regionWidth = w;
        regionHeight = h;
        padding = pad;
    }

    @Override
    public void close() {
        tensor.close();
        regionPlanes.close();
        for (int c = 0; c < 3; c++) {
            planes[c].close();
            planePointers[c].close();
        }
        rgb.close();
        floats.close();
    }
}
