package app.deeplive.engine.pipeline;

import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.track.DetectionRound;

/** Detection on the caller's thread: the round for a frame is ready as soon as it is asked for. */
public final class InlineDetections implements FaceDetections {
    private final ScrfdDetector detector;
    private DetectionRound ready;

    public InlineDetections(ScrfdDetector detector) {
        this.detector = detector;
    }

    @Override
    public boolean request(FrameView frame, long frameNumber) {
        ready = FaceDetections.detectHere(detector, frame, frameNumber);
        return true;
    }

    @Override
    public DetectionRound detectNow(FrameView frame, long frameNumber) {
        request(frame, frameNumber);
        return poll();
    }

    @Override
    public boolean immediate() {
        return true;
    }

    @Override
    public DetectionRound poll() {
        DetectionRound r = ready;
        ready = null;
        return r;
    }

    @Override
    public void close() {
        ready = null;
    }
}
