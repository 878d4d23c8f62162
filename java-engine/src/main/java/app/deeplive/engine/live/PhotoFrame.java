package app.deeplive.engine.live;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2BGRA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import app.deeplive.engine.image.ImageLoader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/** A BGRA test frame of a given size showing a photo scaled to fit, centred on grey: what a camera would send. */
public final class PhotoFrame {
    private PhotoFrame() {}

    /** The frame's pixels, rows {@code 4 · width} bytes apart, in a new direct buffer. */
    public static ByteBuffer render(Path photo, int width, int height) {
        ByteBuffer out = ByteBuffer.allocateDirect(width * height * 4);
        try (Mat image = ImageLoader.load(photo);
                BytePointer pointer = new BytePointer(out);
                Mat frame = new Mat(height, width, opencv_core.CV_8UC4, pointer);
                Scalar grey = new Scalar(96, 96, 96, 255)) {
            frame.put(grey);
            double k = Math.min((double) width / image.cols(), (double) height / image.rows());
            int w = Math.max(1, (int) Math.round(image.cols() * k));
            int h = Math.max(1, (int) Math.round(image.rows() * k));
            try (Mat scaled = new Mat(); Size size = new Size(w, h); Mat bgra = new Mat();
                    Rect r = new Rect((width - w) / 2, (height - h) / 2, w, h); Mat roi = new Mat(frame, r)) {
                resize(image, scaled, size, 0, 0, INTER_AREA);
                cvtColor(scaled, bgra, COLOR_BGR2BGRA);
                bgra.copyTo(roi);
            }
        }
        return out;
    }
}
