package app.deeplive.engine.swap;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.analysis.align.AffineWarp;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The square BGR crops a stream feeds a face model every frame (the swapper's side, say), cut into images kept from
 * frame to frame (one per face slot; the same pixels as {@link FaceSwapper#crop} and {@code FaceAligner.warp}), so a
 * frame's crops cost no new image. A crop stays valid until its slot is cut again or this is closed; do not close
 * it. Each slot has its own working images, so different slots may be cut at the same time on different threads once
 * {@link #reserve} made them; otherwise one instance serves one thread. Close it.
 */
public final class AlignedCrops implements AutoCloseable {
    private final int size;
    private final List<Slot> slots = new ArrayList<>();

    /** One face's crop and what cutting it needs. */
    private static final class Slot implements AutoCloseable {
        final Mat crop;
        final Mat bgra = new Mat(); // a BGRA frame's crop before it loses its alpha
        final AffineWarp warp = new AffineWarp();

        Slot(int size) {
            crop = new Mat(size, size, CV_8UC3);
        }

        @Override
        public void close() {
            crop.close();
            bgra.close();
            warp.close();
        }
    }

    /** Crops of {@code size}×{@code size} pixels. */
    public AlignedCrops(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("crop size must be positive, not " + size);
        }
        this.size = size;
    }

    /** The crops' side in pixels. */
    public int size() {
        return size;
    }

    /** Makes slots 0 … n − 1, so that they can then be cut at the same time on different threads. */
    public void reserve(int n) {
        while (slots.size() < n) {
            slots.add(new Slot(size));
        }
    }

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
        reserve(slot + 1);
        Slot s = slots.get(slot);
        if (channels == 3) {
            s.warp.apply(frame, frameToCrop, 0, 0, INTER_LINEAR, s.crop, size, size);
        } else {
            s.warp.apply(frame, frameToCrop, 0, 0, INTER_LINEAR, s.bgra, size, size);
            cvtColor(s.bgra, s.crop, COLOR_BGRA2BGR);
        }
        return s.crop;
    }

    @Override
    public void close() {
        slots.forEach(Slot::close);
        slots.clear();
    }
}
