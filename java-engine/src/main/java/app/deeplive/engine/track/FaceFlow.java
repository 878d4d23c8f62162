package app.deeplive.engine.track;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_video.calcOpticalFlowPyrLK;

import app.deeplive.engine.analysis.BoundingBox;
import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.image.FrameView;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_core.TermCriteria;

/**
 * How one face moved between two consecutive frames, measured from the pixels: a grid of points over the face is
 * followed with pyramidal Lucas–Kanade optical flow forwards and back (a point is trusted only if it comes back
 * where it started), and a similarity transform (shift, scale, roll) is fitted to the trusted points, dropping those
 * that disagree with it. The work is on a small grey patch of the face's region (the face {@value #FACE_SIDE} to
 * twice that many pixels across), never on the whole frame, and every buffer is kept from frame to frame.
 *
 * <p>Use: {@link #seed} with the face's box in frame N, then {@link #follow} on frame N+1 gives the motion N → N+1;
 * seed again on N+1 (at the moved box) before following into N+2. Not thread-safe; one per tracked face.
 */
public final class FaceFlow implements AutoCloseable {
    /** Patch pixels across the face: enough texture for the flow, small enough to cost well under a millisecond. */
    static final double FACE_SIDE = 80;
    /** The region around the face, as a fraction of its size on each side: the most it can move in one frame. */
    private static final double MARGIN = 0.5;
    private static final int GRID = 8;
    private static final int POINTS = GRID * GRID;
    /** Forward-backward error (patch pixels) above which a point is not trusted. */
    private static final float MAX_ROUND_TRIP = 1.0f;
    /** Fewer trusted points than this and the motion is unknown. */
    private static final int MIN_POINTS = 10;

    private final Mat colour = new Mat();
    private Mat previous = new Mat();
    private Mat current = new Mat();
    private final FloatPointer from = new FloatPointer(2L * POINTS);
    private final FloatPointer to = new FloatPointer(2L * POINTS);
    private final FloatPointer back = new FloatPointer(2L * POINTS);
    private final BytePointer found = new BytePointer(POINTS);
    private final BytePointer foundBack = new BytePointer(POINTS);
    private final FloatPointer error = new FloatPointer(POINTS);
    private final Mat fromMat = new Mat(POINTS, 1, CV_32FC2, from);
    private final Mat toMat = new Mat(POINTS, 1, CV_32FC2, to);
    private final Mat backMat = new Mat(POINTS, 1, CV_32FC2, back);
    private final Mat foundMat = new Mat(POINTS, 1, CV_8U, found);
    private final Mat foundBackMat = new Mat(POINTS, 1, CV_8U, foundBack);
    private final Mat errorMat = new Mat(POINTS, 1, CV_32F, error);
    private final FloatBuffer fromXY = from.asBuffer();
    private final FloatBuffer toXY = to.asBuffer();
    private final FloatBuffer backXY = back.asBuffer();
    private final ByteBuffer foundFlags = found.asBuffer();
    private final ByteBuffer foundBackFlags = foundBack.asBuffer();
    private final Size window = new Size(15, 15);
    private final TermCriteria criteria = new TermCriteria(TermCriteria.COUNT + TermCriteria.EPS, 20, 0.03);
    private final Rect region = new Rect();
    private final Size patchSize = new Size();
    private final float[] src = new float[2 * POINTS];
    private final float[] dst = new float[2 * POINTS];
    private final float[] residuals = new float[POINTS];
    private final float[] sorted = new float[POINTS];
    private int rx, ry, rw, rh, pw, ph;
    private double scale;
    private float faceWidth;
    private boolean seeded;

    /**
     * Takes the face's region of {@code frame} as the reference for the next {@link #follow}.
     *
     * @return false if the box is not (partly) inside the frame; the next follow then reports the motion lost
     */
    public boolean seed(FrameView frame, BoundingBox box) {
        seeded = false;
        float w = box.width(), h = box.height();
        if (!(w >= 4 && h >= 4)) {
            return false;
        }
        int x1 = clamp((int) Math.floor(box.x1() - MARGIN * w), frame.width());
        int y1 = clamp((int) Math.floor(box.y1() - MARGIN * h), frame.height());
        int x2 = clamp((int) Math.ceil(box.x2() + MARGIN * w), frame.width());
        int y2 = clamp((int) Math.ceil(box.y2() + MARGIN * h), frame.height());
        // Shrunk by a whole factor (the face FACE_SIDE..2·FACE_SIDE pixels across): area averaging is then a cheap
        // box filter, and small faces are followed at full size.
        int factor = Math.max(1, (int) (Math.max(w, h) / FACE_SIDE));
        if ((x2 - x1) / factor < 8 || (y2 - y1) / factor < 8) {
            return false; // (almost) all outside the frame
        }
        rx = x1;
        ry = y1;
        pw = (x2 - x1) / factor;
        ph = (y2 - y1) / factor;
        rw = pw * factor;
        rh = ph * factor;
        scale = 1.0 / factor;
        faceWidth = w;
        greyPatch(frame, previous);
        // The grid covers the face's inner part (the box's edges are background or hair as often as face).
        float gx1 = (float) ((box.x1() + 0.15f * w - rx) * scale), gy1 = (float) ((box.y1() + 0.15f * h - ry) * scale);
        float gw = (float) (0.7f * w * scale), gh = (float) (0.7f * h * scale);
        for (int j = 0; j < GRID; j++) {
            for (int i = 0; i < GRID; i++) {
                int p = 2 * (j * GRID + i);
                fromXY.put(p, gx1 + gw * i / (GRID - 1));
                fromXY.put(p + 1, gy1 + gh * j / (GRID - 1));
            }
        }
        seeded = true;
        return true;
    }

    /** The face's motion from the seeded frame to {@code frame}, or {@link FaceMotion#LOST}. */
    public FaceMotion follow(FrameView frame) {
        if (!seeded || frame.width() < rx + rw || frame.height() < ry + rh) {
            return FaceMotion.LOST;
        }
        seeded = false; // one follow per seed: the patch now describes the wrong frame
        greyPatch(frame, current);
        calcOpticalFlowPyrLK(previous, current, fromMat, toMat, foundMat, errorMat, window, 2, criteria, 0, 1e-4);
        calcOpticalFlowPyrLK(current, previous, toMat, backMat, foundBackMat, errorMat, window, 2, criteria, 0, 1e-4);
        int n = 0;
        for (int p = 0; p < POINTS; p++) {
            float fx = fromXY.get(2 * p), fy = fromXY.get(2 * p + 1);
            if (foundFlags.get(p) != 0 && foundBackFlags.get(p) != 0
                    && Math.hypot(backXY.get(2 * p) - fx, backXY.get(2 * p + 1) - fy) <= MAX_ROUND_TRIP) {
                src[2 * n] = fx;
                src[2 * n + 1] = fy;
                dst[2 * n] = toXY.get(2 * p);
                dst[2 * n + 1] = toXY.get(2 * p + 1);
                n++;
            }
        }
        if (n < MIN_POINTS) {
            return FaceMotion.LOST;
        }
        SimilarityTransform fit = fit(n);
        // Points that disagree with the fit (an occluding hand, a background corner) are dropped and it is refitted.
        double cut = Math.max(0.5, 2.5 * median(fit, n));
        int kept = 0;
        for (int p = 0; p < n; p++) {
            if (residuals[p] <= cut) {
                src[2 * kept] = src[2 * p];
                src[2 * kept + 1] = src[2 * p + 1];
                dst[2 * kept] = dst[2 * p];
                dst[2 * kept + 1] = dst[2 * p + 1];
                kept++;
            }
        }
        if (kept < MIN_POINTS) {
            return FaceMotion.LOST;
        }
        SimilarityTransform inPatch = fit(kept);
        SimilarityTransform inFrame = toFrame(inPatch);
        double cx = rx + rw / 2.0, cy = ry + rh / 2.0;
        double[] moved = inFrame.apply(cx, cy);
        double speed = Math.hypot(moved[0] - cx, moved[1] - cy) / faceWidth;
        return new FaceMotion(inFrame, (double) kept / POINTS, speed);
    }

    @Override
    public void close() {
        for (Mat m : new Mat[] {colour, previous, current, fromMat, toMat, backMat, foundMat, foundBackMat, errorMat}) {
            m.close();
        }
        from.close();
        to.close();
        back.close();
        found.close();
        foundBack.close();
        error.close();
        window.close();
        criteria.close();
        region.close();
        patchSize.close();
    }

    private void greyPatch(FrameView frame, Mat into) {
        region.x(rx).y(ry).width(rw).height(rh);
        patchSize.width(pw).height(ph);
        int code = frame.format().bytesPerPixel() == 4 ? COLOR_BGRA2GRAY : COLOR_BGR2GRAY;
        try (Mat roi = new Mat(frame.mat(), region)) {
            if (pw == rw) {
                cvtColor(roi, into, code);
            } else {
                resize(roi, colour, patchSize, 0, 0, INTER_AREA); // shrink first: the grey conversion then costs nothing
                cvtColor(colour, into, code);
            }
        }
    }

    private SimilarityTransform fit(int n) {
        return SimilarityTransform.estimate(src, dst, n);
    }

    /** The median distance of the fitted points from where the fit puts them (residuals left in {@link #residuals}). */
    private double median(SimilarityTransform fit, int n) {
        double[] m = fit.matrix();
        for (int p = 0; p < n; p++) {
            double x = src[2 * p], y = src[2 * p + 1];
            double ex = m[0] * x + m[1] * y + m[2] - dst[2 * p];
            double ey = m[3] * x + m[4] * y + m[5] - dst[2 * p + 1];
            residuals[p] = (float) Math.hypot(ex, ey);
        }
        System.arraycopy(residuals, 0, sorted, 0, n);
        Arrays.sort(sorted, 0, n);
        return sorted[n / 2];
    }

    /** The patch transform in frame coordinates: patch = (frame − origin)·scale, so the rotation part is the same. */
    private SimilarityTransform toFrame(SimilarityTransform inPatch) {
        double[] m = inPatch.matrix();
        double a = m[0], b = m[3];
        double tx = m[2] / scale + rx - (a * rx - b * ry);
        double ty = m[5] / scale + ry - (b * rx + a * ry);
        return SimilarityTransform.of(Math.hypot(a, b), Math.atan2(b, a), tx, ty);
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
