package app.deeplive.engine.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.image.ImageLoader;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.testing.SharedData;
import app.deeplive.engine.track.DetectionRound;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The detector beside the stages: one frame at a time, rounds handed over once, and a clean stop. */
class BackgroundDetectionsTest {
    static ScrfdDetector detector;
    static Mat photo;

    @BeforeAll
    static void load() {
        detector = ScrfdDetector.open(SharedData.model("scrfd_500m_bnkps.onnx"), OrtConfig.cpu(),
                DetectorSettings.defaults().withInputSize(320));
        photo = ImageLoader.load(SharedData.photo("obama.jpg"));
    }

    @AfterAll
    static void free() {
        detector.close();
        photo.close();
    }

    private static DetectionRound awaitRound(BackgroundDetections detections) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        DetectionRound round;
        while ((round = detections.poll()) == null && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        return round;
    }

    @Test
    void aRequestedFrameIsDetectedOnItsOwnThreadAndItsRoundHandedOverOnce() throws Exception {
        try (BackgroundDetections detections = new BackgroundDetections("t", detector);
                FrameView frame = FrameView.of(photo)) {
            assertTrue(detections.request(frame, 7));
            DetectionRound round = awaitRound(detections);
            assertNotNull(round, "no round within 10 s");
            assertEquals(7, round.frame(), "the round names the frame it looked at");
            assertEquals(1, round.faces().size());
            assertNull(detections.poll(), "handed over once");
            assertEquals(1, detections.rounds());
        }
    }

    @Test
    void whileTheDetectorIsBusyFurtherRequestsAreRefused() throws Exception {
        try (BackgroundDetections detections = new BackgroundDetections("t", detector);
                FrameView frame = FrameView.of(photo)) {
            // The second request follows the first by microseconds; a detection on the CPU takes milliseconds.
            assertTrue(detections.request(frame, 1));
            assertFalse(detections.request(frame, 2), "one frame at a time; the caller asks again later");
            assertEquals(1, awaitRound(detections).frame());
            assertTrue(detections.request(frame, 3), "free again");
            assertEquals(3, awaitRound(detections).frame());
        }
    }

    @Test
    void detectNowWaitsForTheRoundOfItsOwnFrame() {
        try (BackgroundDetections detections = new BackgroundDetections("t", detector);
                FrameView frame = FrameView.of(photo)) {
            assertTrue(detections.request(frame, 1));
            DetectionRound round = detections.detectNow(frame, 2);
            assertNotNull(round);
            assertEquals(2, round.frame(), "the earlier round is superseded by this frame's");
            assertEquals(1, round.faces().size());
            assertNull(detections.poll());
        }
    }

    @Test
    void whenItsThreadIsGoneRequestsAreRefusedAndFramesThatWaitAreStillDetected() throws Exception {
        try (BackgroundDetections detections = new BackgroundDetections("lost", detector);
                FrameView frame = FrameView.of(photo)) {
            Thread worker = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("lost-detect")).findFirst().orElseThrow();
            worker.interrupt();
            worker.join(10_000);
            assertFalse(worker.isAlive());
            assertFalse(detections.request(frame, 1), "no thread to serve it: refused, never left pending");
            DetectionRound round = detections.detectNow(frame, 2);
            assertNotNull(round, "detected on the caller's thread");
            assertEquals(1, round.faces().size());
        }
    }

    @Test
    void afterCloseNothingIsAcceptedAndTheThreadIsGone() {
        BackgroundDetections detections = new BackgroundDetections("closing", detector);
        try (FrameView frame = FrameView.of(photo)) {
            assertTrue(detections.request(frame, 1));
            detections.close(); // with a run in flight: it finishes, then the thread ends
            assertFalse(detections.request(frame, 2));
            assertNull(detections.detectNow(frame, 3));
            assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("closing-detect")));
            detections.close(); // twice is harmless
        }
    }
}
