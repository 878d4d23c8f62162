package app.deeplive.engine.analysis.detect;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import app.deeplive.engine.image.FrameView;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Fits a frame into a W×H model input keeping its aspect ratio, the SCRFD reference layout: the frame resized to
 * fill one side, at the top-left, padding right and bottom (which {@code ImageTensors.putTopLeft} supplies).
 * The frame is only read, straight from its memory; the small resized image lives in a reused buffer.
 * Not thread-safe.
 */
final class Letterbox implements AutoCloseable {
    private final int width;
    private final int height;
    private final Mat resized = new Mat();
    private float scale;

    Letterbox(int width, int height) {
        this.width = width;
        this.height = height;
    }

    /** The frame resized to fit (the frame's pixel format, at most W×H); valid until the next call. */
    Mat fit(FrameView frame) {
        // The reference's rounding: the limiting side fills the input, the other is truncated.
        float frameRatio = (float) frame.height() / frame.width();
        float inputRatio = (float) height / width;
        int h;
        int w;
        if (frameRatio > inputRatio) {
            h = height;
            w = Math.max(1, (int) (h / frameRatio));
        } else {
            w = width;
            h = Math.max(1, (int) (w * frameRatio));
        }
        scale = (float) h / frame.height();
        try (Size size = new Size(w, h)) {
            resize(frame.mat(), resized, size, 0, 0, INTER_LINEAR);
        }
        return resized;
    }

    /** The last {@link #fit}'s result. */
    Mat resized() {
        return resized;
    }

    int width() {
        return width;
    }

    /** Input pixels per frame pixel of the last {@link #fit}. */
    float scale() {
        return scale;
    }

    @Override
    public void close() {
        resized.close();
    }
}
