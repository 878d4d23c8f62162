package app.deeplive.engine.blend;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2Lab;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_Lab2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;

/**
 * Reinhard colour transfer in LAB (DeepFaceLab's "RCT", FaceFusion's colour matching): each LAB channel of the
 * swapped face is shifted and scaled to the mean and standard deviation of the original face, so the new face takes
 * the scene's light. Runs on the small aligned crops, never the frame.
 *
 * <p>An instance keeps its float LAB images and statistics from one face to the next (a stream's faces are all the
 * crop's size, so none is allocated again); one instance serves one thread. Close it.
 */
public final class ColorTransfer implements AutoCloseable {
    private final Mat faceLab = new Mat();
    private final Mat refLab = new Mat();
    private final Mat faceMean = new Mat();
    private final Mat faceStd = new Mat();
    private final Mat refMean = new Mat();
    private final Mat refStd = new Mat();
    private final MatVector channels = new MatVector();
    private final Mat bgr = new Mat();

    /** Recolours {@code face} (8-bit BGR) in place to the statistics of {@code reference} (8-bit BGR), one-off. */
    public static void apply(Mat face, Mat reference) {
        try (ColorTransfer transfer = new ColorTransfer()) {
            transfer.recolour(face, reference);
        }
    }

    /** {@link #apply} with this instance's working images. */
    public void recolour(Mat face, Mat reference) {
        lab(face, faceLab);
        lab(reference, refLab);
        opencv_core.meanStdDev(faceLab, faceMean, faceStd);
        opencv_core.meanStdDev(refLab, refMean, refStd);
        opencv_core.split(faceLab, channels);
        for (int c = 0; c < 3; c++) {
            double sf = faceStd.ptr(c).getDouble();
            double sr = refStd.ptr(c).getDouble();
            double mf = faceMean.ptr(c).getDouble();
            double mr = refMean.ptr(c).getDouble();
            double gain = sf > 1e-6 ? sr / sf : 1.0;
            Mat ch = channels.get(c);
            ch.convertTo(ch, CV_32F, gain, mr - mf * gain);
        }
        opencv_core.merge(channels, faceLab);
        cvtColor(faceLab, bgr, COLOR_Lab2BGR);
        bgr.convertTo(face, CV_8U, 255.0, 0.0);
    }

    /** Float LAB (L in 0..100) of an 8-bit BGR image, into {@code out}. */
    private static void lab(Mat bgr, Mat out) {
        bgr.convertTo(out, CV_32F, 1.0 / 255.0, 0.0);
        cvtColor(out, out, COLOR_BGR2Lab);
    }

    @Override
    public void close() {
        faceLab.close();
        refLab.close();
        faceMean.close();
        faceStd.close();
        refMean.close();
        refStd.close();
        channels.close();
        bgr.close();
    }
}
