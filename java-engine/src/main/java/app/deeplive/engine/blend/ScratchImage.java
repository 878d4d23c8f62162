package app.deeplive.engine.blend;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One working image reused from frame to frame: its memory grows when a larger image is asked for and is never
 * shrunk, so a face of steady size costs no native allocation per frame (only a small header when the size
 * changes). The Mat it hands out stays valid until the next {@link #get} or {@link #close}; do not close it.
 * Not thread-safe.
 */
public final class ScratchImage implements AutoCloseable {
    private Mat backing;
    private Mat view;
    private int rows;
    private int cols;
    private int type;

    /** A {@code rows}×{@code cols} image of {@code type} (contents undefined) over this scratch's memory. */
    public Mat get(int rows, int cols, int type) {
        if (view != null && rows == this.rows && cols == this.cols && type == this.type) {
            return view;
        }
        long bytes = (long) rows * cols * opencv_core.CV_MAT_CN(type) * (long) bytesPerChannel(opencv_core.CV_MAT_DEPTH(type));
        if (backing == null || backing.cols() < bytes) {
            if (view != null) {
                view.close();
                view = null;
            }
            if (backing != null) {
                backing.close();
            }
            // 25% head room, so a face that grows by a few pixels does not reallocate every frame.
            backing = new Mat(1, (int) Math.min(Integer.MAX_VALUE, bytes + bytes / 4), CV_8U);
        }
        if (view != null) {
            view.close();
        }
        view = new Mat(rows, cols, type, backing.data());
        this.rows = rows;
        this.cols = cols;
        this.type = type;
        return view;
    }

    private static int bytesPerChannel(int depth) {
        return switch (depth) {
            case opencv_core.CV_8U, opencv_core.CV_8S -> 1;
            case opencv_core.CV_16U, opencv_core.CV_16S, opencv_core.CV_16F -> 2;
            case opencv_core.CV_32S, opencv_core.CV_32F -> 4;
            default -> 8;
        };
    }

    /** Bytes of native memory held. */
    public long capacity() {
        return backing == null ? 0 : backing.cols();
    }

    @Override
    public void close() {
        if (view != null) {
            view.close();
            view = null;
        }
        if (backing != null) {
            backing.close();
            backing = null;
        }
    }
}
