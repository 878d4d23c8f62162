package app.deeplive.engine.live;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.image.PixelFormat;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;
import org.bytedeco.opencv.opencv_core.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The face detector on a thread of its own, so a detection (tens to hundreds of milliseconds) never holds up the
 * frame it was asked on: the analysis stage hands over a downscaled copy of the frame (the detector's input size,
 * made in about a millisecond) and keeps tracking; the faces found are adopted a frame or more later and tracked
 * forward from the copy to the current frame. One request at a time; the copy and result buffers are reused.
 */
final class BackgroundDetector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundDetector.class);

    private final FaceDetector detector;
    private final int longSide;
    private final FaceSet found;
    private final Thread thread;
    private final LatencyHistogram work = new LatencyHistogram();
    private ByteBuffer copy;
    private ByteBuffer copyPixels;
    private FrameView copyView;
    private Size copySize;
    private int copyWidth;
    private int copyHeight;
    private float scale;
    /** 0 idle, 1 requested (the worker owns the copy), 2 result ready (the stage owns both). */
    private volatile int state;
    private volatile boolean closed;
    private volatile long busyNanos;
    private volatile long failures;

    BackgroundDetector(FaceDetector detector, int longSide, int maxFaces, String name) {
        this.detector = detector;
        this.longSide = longSide;
        this.found = new FaceSet(maxFaces);
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Whether a new request can be made now (no detection running, no result waiting). */
    boolean idle() {
        return state == 0;
    }

    /** Starts detecting on a downscaled copy of {@code frame}; only when {@link #idle()}. */
    void request(FrameView frame) {
        if (state != 0) {
            throw new IllegalStateException("a detection is already running");
        }
        prepare(frame);
        resize(frame.mat(), copyView.mat(), copySize, 0, 0, INTER_LINEAR);
        state = 1;
        LockSupport.unpark(thread);
    }

    /** Whether faces from the last request are ready for {@link #adopt}. */
    boolean ready() {
        return state == 2;
    }

    /**
     * Takes the result: {@code faces} becomes the faces found, in the frame's coordinates, and {@code tracker} takes
     * its reference patches from the copy they were found on. Makes the detector idle again.
     */
    void adopt(FaceSet faces, PatchTracker tracker) {
        if (state != 2) {
            throw new IllegalStateException("no detection result waiting");
        }
        faces.copyFrom(found);
        tracker.reset(copyPixels, copyWidth, copyHeight, copyWidth * 4, 4, faces);
        faces.scale(1 / scale);
        state = 0;
    }

    LatencyHistogram workTimes() {
        return work;
    }

    long busyNanos() {
        return busyNanos;
    }

    Thread thread() {
        return thread;
    }

    private void prepare(FrameView frame) {
        float k = Math.min(1f, (float) longSide / Math.max(frame.width(), frame.height()));
        int w = Math.max(1, Math.round(frame.width() * k));
        int h = Math.max(1, Math.round(frame.height() * k));
        if (frame.format() != PixelFormat.BGRA) {
            throw new IllegalArgumentException("live frames are BGRA, not " + frame.format());
        }
        if (copyView == null || w != copyWidth || h != copyHeight) {
            releaseCopy();
            copy = ByteBuffer.allocateDirect(w * h * 4);
            copyView = FrameView.wrap(copy, w, h, w * 4, PixelFormat.BGRA);
            copyPixels = copyView.pixels();
            copySize = new Size(w, h);
            copyWidth = w;
            copyHeight = h;
        }
        // Scale actually applied (rounded sizes), so found faces map back exactly.
        scale = (float) copyWidth / frame.width();
    }

    private void loop() {
        while (!closed) {
            if (state != 1) {
                LockSupport.parkNanos(this, 50_000_000);
                continue;
            }
            long start = System.nanoTime();
            try {
                found.setAll(detector.detect(copyView));
            } catch (RuntimeException e) {
                found.clear();
                failures = failures + 1;
                if (failures <= 3) {
                    LOG.warn("face detection failed: {}", e.toString());
                }
            }
            long took = System.nanoTime() - start;
            work.record(took);
            busyNanos = busyNanos + took;
            state = 2;
        }
    }

    private void releaseCopy() {
        if (copyView != null) {
            copyView.close();
            copySize.close();
            copyView = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            releaseCopy();
        }
    }
}
