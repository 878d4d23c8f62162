package app.deeplive.engine.blend;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_imgproc.getGaussianKernel;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The last few 1-D Gaussian kernels asked for (OpenCV's own, {@code getGaussianKernel}, CV_32F), kept so that the
 * faces of a stream, each blurred with its own size's kernel frame after frame, do not make a new one per face.
 * A kernel stays valid until it is pushed out by {@link #CAPACITY} others or this is closed; do not close it.
 * Not thread-safe.
 */
final class GaussianKernels implements AutoCloseable {
    /** Kernels kept: more than the faces a frame usually has. */
    static final int CAPACITY = 8;

    private final int[] halves = new int[CAPACITY];
    private final double[] sigmas = new double[CAPACITY];
    private final Mat[] kernels = new Mat[CAPACITY];
    private int next; // the slot the next new kernel replaces

    /** The (2·half + 1)-tap kernel for {@code sigma}. */
    Mat get(int half, double sigma) {
        for (int i = 0; i < CAPACITY; i++) {
            if (kernels[i] != null && halves[i] == half && sigmas[i] == sigma) {
                return kernels[i];
            }
        }
        if (kernels[next] != null) {
            kernels[next].close();
        }
        kernels[next] = getGaussianKernel(2 * half + 1, sigma, CV_32F);
        halves[next] = half;
        sigmas[next] = sigma;
        Mat kernel = kernels[next];
        next = (next + 1) % CAPACITY;
        return kernel;
    }

    @Override
    public void close() {
        for (int i = 0; i < CAPACITY; i++) {
            if (kernels[i] != null) {
                kernels[i].close();
                kernels[i] = null;
            }
        }
    }
}
