package app.deeplive.engine.live;

import app.deeplive.engine.image.FrameView;
import java.nio.ByteBuffer;

/**
 * Face analysis for the live path: the detector every k-th frame and whenever tracking is unsure or a face moves
 * fast ({@link DetectionSchedule}); on the frames between, the faces are tracked ({@link PatchTracker}), which is
 * allocation-free and costs a fraction of a millisecond per face. Leaves the frame's faces in its {@link FaceSet};
 * a frame without faces skips the remaining stages and goes back unchanged.
 *
 * <p>With a {@link BackgroundDetector}, detection runs beside the pipeline instead of in it: a frame never waits for
 * the detector; its faces are adopted when ready (tracked forward to the current frame) and the frames between keep
 * the tracked faces, so there is no flicker while a detection runs. The first faces appear a detection later.
 */
final class AnalysisStage implements Stage, AutoCloseable {
    private final FaceDetector detector;
    private final BackgroundDetector background;
    private final DetectionSchedule schedule;
    private final FaceSet tracked;
    private final PatchTracker tracker;
    /** Frames since the last detection (or request); starts "long ago" so the first frame asks for one. */
    private int sinceDetection = NEVER;
    private static final int NEVER = 1 << 20;
    private volatile long detections;
    private volatile long redetections;
    private volatile long trackedFrames;

    /** @param background the detector's own thread, or null to detect inside this stage */
    AnalysisStage(FaceDetector detector, BackgroundDetector background, DetectionSchedule schedule, int maxFaces) {
        this.detector = detector;
        this.background = background;
        this.schedule = schedule;
        this.tracked = new FaceSet(maxFaces);
        this.tracker = new PatchTracker(maxFaces);
    }

    @Override
    public void process(LiveFrame frame) {
        if (background != null) {
            processInBackground(frame);
        } else {
            processInline(frame);
        }
        frame.faces().copyFrom(tracked);
        if (tracked.count() == 0) {
            frame.skipRemainingStages();
        }
    }

    private void processInline(LiveFrame frame) {
        FrameView view = frame.view();
        ByteBuffer px = frame.pixels();
        int bpp = view.format().bytesPerPixel();
        if (schedule.detectBeforeTracking(sinceDetection, tracked.count())) {
            detect(view, px, bpp);
        } else if (tracked.count() > 0) {
            tracker.track(px, view.width(), view.height(), view.stride(), bpp, tracked);
            if (schedule.detectAfterTracking(tracker.weakestConfidence(), tracker.largestStep())) {
                redetections = redetections + 1;
                detect(view, px, bpp);
            } else {
                sinceDetection = Math.min(NEVER, sinceDetection + 1);
                trackedFrames = trackedFrames + 1;
            }
        } else {
            sinceDetection = Math.min(NEVER, sinceDetection + 1);
        }
    }

    private void processInBackground(LiveFrame frame) {
        FrameView view = frame.view();
        ByteBuffer px = frame.pixels();
        int bpp = view.format().bytesPerPixel();
        boolean adopted = false;
        if (background.ready()) {
            background.adopt(tracked, tracker); // faces as of the frame the detection was asked on
            detections = detections + 1;
            adopted = true;
        }
        boolean unsure = false;
        if (tracked.count() > 0) {
            tracker.track(px, view.width(), view.height(), view.stride(), bpp, tracked);
            unsure = schedule.detectAfterTracking(tracker.weakestConfidence(), tracker.largestStep());
            if (!adopted) {
                trackedFrames = trackedFrames + 1;
            }
        }
        sinceDetection = adopted ? 0 : Math.min(NEVER, sinceDetection + 1);
        if (background.idle() && (unsure || schedule.detectBeforeTracking(sinceDetection, tracked.count()))) {
            if (unsure) {
                redetections = redetections + 1;
            }
            background.request(view);
            sinceDetection = 0; // counts from the request: the next one is due k frames later
        }
    }

    private void detect(FrameView view, ByteBuffer px, int bpp) {
        tracked.setAll(detector.detect(view));
        tracker.reset(px, view.width(), view.height(), view.stride(), bpp, tracked);
        sinceDetection = 0;
        detections = detections + 1;
    }

    /** Detections whose faces were taken up. */
    long detections() {
        return detections;
    }

    /** Of those, detections asked for early because tracking was unsure or a face moved fast. */
    long redetections() {
        return redetections;
    }

    /** Frames whose faces came from tracking alone. */
    long trackedFrames() {
        return trackedFrames;
    }

    @Override
    public void close() {
        if (background != null) {
            background.close();
        }
    }
}
