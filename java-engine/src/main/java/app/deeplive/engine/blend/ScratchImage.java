package app.deeplive.engine.blend;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One working image reused from frame to frame: its memory grows when a larger image is asked for and is never
 * shrunk, so a face of steady size costs no native allocation per frame. Nor does asking for another size or type
 * within that memory: the image handed out is one reused header over the top-left part of the memory (rows spaced
 * by the memory's row length, so it is generally not continuous). The Mat it hands out stays valid until the next
 * {@link #get} or {@link #close}; do not close it. Not thread-safe.
 *
 * <p>Being part of a larger image, it shows OpenCV's neighbourhood filters (blur, erode, …) the memory around it
 * as its border unless they are given {@code BORDER_ISOLATED}: pass it, as the callers here do.
 */
public final class ScratchImage implements AutoCloseable {
    /** Distinct element types one scratch is asked for (a few: a mask, a BGR and a BGRA image, floats). */
    private static final int TYPES = 6;

    private final RegionView view = new RegionView();
    private Mat backing; // rows × rowBytes bytes
    private int rowBytes;
    private final int[] types = new int[TYPES];
    private final Mat[] whole = new Mat[TYPES]; // the backing seen as an image of types[i]
    private int typeCount;

    /** A {@code rows}×{@code cols} image of {@code type} (contents undefined) over this scratch's memory. */
    public Mat get(int rows, int cols, int type) {
        long bytesPerRow = (long) cols * elementBytes(type);
        if (backing == null || rows > backing.rows() || bytesPerRow > rowBytes) {
            int newRows = backing == null ? rows : Math.max(backing.rows(), rows);
            long newRowBytes = Math.max(rowBytes, bytesPerRow);
            // 25% head room, so a face that grows by a few pixels does not reallocate every frame; rows a multiple
            // of 8 bytes, so every element type lines up.
            grow(newRows + newRows / 4, (newRowBytes + newRowBytes / 4 + 7) & ~7L);
        }
        return view.of(whole(type), 0, 0, cols, rows);
    }

    private void grow(int rows, long bytesPerRow) {
        if (bytesPerRow > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a working image row of " + bytesPerRow + " bytes is too large");
        }
        releaseWhole();
        if (backing != null) {
            backing.close();
        }
        rowBytes = (int) bytesPerRow;
        backing = new Mat(rows, rowBytes, CV_8U);
    }

    private Mat whole(int type) {
        for (int i = 0; i < typeCount; i++) {
            if (types[i] == type) {
                return whole[i];
            }
        }
        if (typeCount == TYPES) {
            releaseWhole(); // more types than expected: start the table again (costs headers, not memory)
        }
        types[typeCount] = type;
        whole[typeCount] = new Mat(backing.rows(), rowBytes / elementBytes(type), type, backing.data(),
                rowBytes);
        return whole[typeCount++];
    }

    private void releaseWhole() {
        for (int i = 0; i < typeCount; i++) {
            whole[i].close();
            whole[i] = null;
        }
        typeCount = 0;
    }

    private static int elementBytes(int type) {
        int perChannel = switch (opencv_core.CV_MAT_DEPTH(type)) {
            case opencv_core.CV_8U, opencv_core.CV_8S -> 1;
            case opencv_core.CV_16U, opencv_core.CV_16S, opencv_core.CV_16F -> 2;
            case opencv_core.CV_32S, opencv_core.CV_32F -> 4;
            default -> 8;
        };
        return opencv_core.CV_MAT_CN(type) * perChannel;
    }

    /** Bytes of native memory held. */
    public long capacity() {
        return backing == null ? 0 : (long) backing.rows() * rowBytes;
    }

    @Override
    public void close() {
        view.close();
        releaseWhole();
        if (backing != null) {
            backing.close();
            backing = null;
        }
    }
}
