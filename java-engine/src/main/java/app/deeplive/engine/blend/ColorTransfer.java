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
 */
public final class ColorTransfer {
    private ColorTransfer() {}

    /** Recolours {@code face} (8-bit BGR) in place to the statistics of {@code reference} (8-bit BGR). */
    public static void apply(Mat face, Mat reference) {
        try (Mat faceLab = lab(face); Mat refLab = lab(reference);
                Mat faceMean = new Mat(); Mat faceStd = new Mat(); Mat refMean = new Mat(); Mat refStd = new Mat();
                MatVector channels = new MatVector()) {
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
            try (Mat bgr = new Mat()) {
                cvtColor(faceLab, bgr, COLOR_Lab2BGR);
                bgr.convertTo(face, CV_8U, 255.0, 0.0);
            }
        }
    }

    /** Float LAB (L in 0..100) of an 8-bit BGR image. */
    private static Mat lab(Mat bgr) {
        Mat f = new Mat();
        bgr.convertTo(f, CV_32F, 1.0 / 255.0, 0.0);
        cvtColor(f, f, COLOR_BGR2Lab);
        return f;
    }
}
