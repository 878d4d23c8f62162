package app.deeplive.engine.swap;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.image.AffineWarp;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The 128×128 BGR crops a stream's swap step feeds the swapper, cut into images kept from frame to frame (one per
 * face slot, the same pixels as {@link InSwapper#crop}), so a frame's crops cost no new image. A crop stays valid
 * until its slot is cut again or this is closed; do not close it. One instance serves one thread; close it.
 */
public final class AlignedCrops implements AutoCloseable {
    private final List<Mat> slots = new ArrayList<>();
    private final Mat bgra = new Mat(); // a BGRA frame's crop before it loses its alpha
    private final AffineWarp warp = new AffineWarp();

    /**
     * Cuts the crop for slot {@code slot} (0, 1, … : the frame's faces in order).
     *
     * @param frame an 8-bit BGR or BGRA frame; it is only read
     */
    public Mat cut(int slot, Mat frame, SimilarityTransform frameToCrop) {
        int channels = frame.channels();
        if (frame.depth() != 0 || (channels != 3 && channels != 4)) {
            throw new IllegalArgumentException("expected an 8-bit BGR or BGRA frame, got type " + frame.type());
        }
        while (slots.size() <= slot) {
            slots.add(new Mat(InSwapper.SIZE, InSwapper.SIZE, CV_8UC3));
        }
        Mat crop = slots.get(slot);
        if (channels == 3) {
            warp.apply(frame, frameToCrop, 0, 0, INTER_LINEAR, crop, InSwapper.SIZE, InSwapper.SIZE);
        } else {
            warp.apply(frame, frameToCrop, 0, 0, INTER_LINEAR, bgra, InSwapper.SIZE, InSwapper.SIZE);
            cvtColor(bgra, crop, COLOR_BGRA2BGR);
        }
        return crop;
    }

    @Override
    public void close() {
        slots.forEach(Mat::close);
        slots.clear();
        bgra.close();
        warp.close();
    }
}
