package app.deeplive.engine.analysis.detect;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import app.deeplive.engine.image.FrameView;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Fits a frame into a fixed W×H model input keeping its aspect ratio: resized straight from the frame's memory into
 * the top-left of a reused buffer, zero padding right and bottom (the SCRFD reference layout). Only the small
 * result is ever written; the frame is only read. Not thread-safe.
 */
final class Letterbox implements AutoCloseable {
    private final int width;
    private final int height;
    private Mat canvas;
    private Mat roi;
    private int roiWidth;
    private int roiHeight;
    private float scale;

    Letterbox(int width, int height) {
        this.width = width;
        this.height = height;
    }

    /** Resizes {@code frame} into the canvas and returns the canvas (the frame's pixel format, W×H). */
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
        int type = frame.format().cvType();
        if (canvas == null || canvas.type() != type || w != roiWidth || h != roiHeight) {
            reset(type, w, h);
        }
        try (Size size = new Size(w, h)) {
            resize(frame.mat(), roi, size, 0, 0, INTER_LINEAR);
        }
        return canvas;
    }

    /** Input pixels per frame pixel of the last {@link #fit}. */
    float scale() {
        return scale;
    }

    private void reset(int type, int w, int h) {
        close();
        canvas = new Mat(height, width, type, new Scalar(0.0));
        try (Rect r = new Rect(0, 0, w, h)) {
            roi = new Mat(canvas, r);
        }
        roiWidth = w;
        roiHeight = h;
    }

    @Override
    public void close() {
        if (canvas != null) {
            roi.close();
            canvas.close();
            canvas = null;
            roi = null;
        }
    }
}
