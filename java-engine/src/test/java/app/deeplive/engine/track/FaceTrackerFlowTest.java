package app.deeplive.engine.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.testing.SharedData;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tracker between detections: a face sliding 5 px a frame is followed by its optical flow, and a detection
 * round that arrives two frames late is brought forward to where the face is now, not where it was.
 */
class FaceTrackerFlowTest {
    private static final long FRAME = 33_333_333L;
    private static final int FRAMES = 5;
    private static final double STEP = 5;
    static final List<Mat> frames = new ArrayList<>();
    static final List<Face> detected = new ArrayList<>();

    @BeforeAll
    static void load() {
        FaceFlowTest.load();
        try (ScrfdDetector detector = ScrfdDetector.open(SharedData.model("scrfd_500m_bnkps.onnx"), OrtConfig.cpu(),
                DetectorSettings.defaults())) {
            for (int i = 0; i < FRAMES; i++) {
                Mat frame = FaceFlowTest.moved(SimilarityTransform.of(1, 0, STEP * i, 0));
                frames.add(frame);
                detected.add(detector.detect(frame).get(0));
            }
        }
    }

    @AfterAll
    static void free() {
        frames.forEach(Mat::close);
        FaceFlowTest.free();
    }

    private static List<Track> advance(FaceTracker tracker, int i, DetectionRound round) {
        try (FrameView view = FrameView.of(frames.get(i))) {
            return tracker.advance(view, i * FRAME, i, round);
        }
    }

    private static double distance(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i += 2) {
            worst = Math.max(worst, Math.hypot(a[i] - b[i], a[i + 1] - b[i + 1]));
        }
        return worst;
    }

    @Test
    void betweenDetectionsTheFlowMovesTheFaceWithThePicture() {
        try (FaceTracker tracker = new FaceTracker(TrackerSettings.DEFAULT)) {
            Track track = advance(tracker, 0, new DetectionRound(0, List.of(detected.get(0)), 0)).get(0);
            for (int i = 1; i < FRAMES; i++) {
                assertEquals(List.of(track), advance(tracker, i, null));
                float[] expected = FaceFlowTest.moved(detected.get(0), STEP * i);
                assertTrue(distance(expected, track.measuredKeypoints()) < 0.75,
                        "frame " + i + ": " + distance(expected, track.measuredKeypoints()) + " px off");
                assertTrue(track.confidence() > 0.6);
            }
        }
    }

    @Test
    void aLateRoundIsBroughtForwardByTheMotionSinceItsFrame() {
        try (FaceTracker tracker = new FaceTracker(TrackerSettings.DEFAULT)) {
            Track track = advance(tracker, 0, new DetectionRound(0, List.of(detected.get(0)), 0)).get(0);
            for (int i = 1; i < FRAMES - 1; i++) {
                advance(tracker, i, null);
            }
            Face late = detected.get(FRAMES - 3); // what the detector saw two frames ago
            List<Track> now = advance(tracker, FRAMES - 1, new DetectionRound(FRAMES - 3, List.of(late), 0));
            assertEquals(List.of(track), now, "the late detection continues the same track");
            assertEquals(0, track.missed());
            // The detector's own keypoints wobble by a few pixels frame to frame; what is checked is that the late
            // detection was moved by the picture's motion since its frame (2 steps), not used where it was.
            float[] forward = FaceFlowTest.moved(late, 2 * STEP);
            double off = distance(forward, track.measuredKeypoints());
            assertTrue(off < 0.75, "the late detection moved with the picture to within " + off + " px");
            assertTrue(distance(late.kps(), track.measuredKeypoints()) > 2 * STEP - 1, "not left where it was");
        }
    }
}
