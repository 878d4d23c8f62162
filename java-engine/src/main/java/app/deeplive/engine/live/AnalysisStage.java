package app.deeplive.engine.live;

import app.deeplive.engine.image.FrameView;
import java.nio.ByteBuffer;

/**
 * Face analysis for the live path: the detector every k-th frame and whenever tracking is unsure or a face moves
 * fast ({@link DetectionSchedule}); on the frames between, the faces are tracked ({@link PatchTracker}), which is
 * allocation-free and costs a fraction of a millisecond per face. Leaves the frame's faces in its {@link FaceSet};
 * a frame without faces skips the remaining stages and goes back unchanged.
 */
final class AnalysisStage implements Stage {
    private final FaceDetector detector;
    private final DetectionSchedule schedule;
    private final FaceSet tracked;
    private final PatchTracker tracker;
    private int sinceDetection = Integer.MAX_VALUE - 1;
    private volatile long detections;
    private volatile long redetections;
    private volatile long trackedFrames;

    AnalysisStage(FaceDetector detector, DetectionSchedule schedule, int maxFaces) {
        this.detector = detector;
        this.schedule = schedule;
        this.tracked = new FaceSet(maxFaces);
        this.tracker = new PatchTracker(maxFaces);
    }

    @Override
    public void process(LiveFrame frame) {
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
                sinceDetection++;
                trackedFrames = trackedFrames + 1;
            }
        } else {
            sinceDetection++;
        }
        frame.faces().copyFrom(tracked);
        if (tracked.count() == 0) {
            frame.skipRemainingStages();
        }
    }

    private void detect(FrameView view, ByteBuffer px, int bpp) {
        tracked.setAll(detector.detect(view));
        tracker.reset(px, view.width(), view.height(), view.stride(), bpp, tracked);
        sinceDetection = 0;
        detections = detections + 1;
    }

    /** Frames the detector ran on. */
    long detections() {
        return detections;
    }

    /** Of those, frames where tracking was unsure or a face moved fast. */
    long redetections() {
        return redetections;
    }

    /** Frames whose faces came from tracking alone. */
    long trackedFrames() {
        return trackedFrames;
    }
}
