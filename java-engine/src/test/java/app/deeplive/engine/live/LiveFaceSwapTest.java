package app.deeplive.engine.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.onnx.LoadedModel;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.onnx.OrtSessions;
import app.deeplive.engine.testing.SharedData;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live face swap end to end on real photos: the real SCRFD detector from ../shared, and cost-matched swapper and
 * enhancer stand-ins (1/500 of the production cost) with the production I/O.
 */
class LiveFaceSwapTest {
    private static final int W = 640;
    private static final int H = 360;
    private static final OrtConfig ORT = OrtConfig.cpu().withIntraOpThreads(1);

    private static ScrfdDetector detector;
    private static LoadedModel swapper;
    private static LoadedModel enhancer;

    @BeforeAll
    static void models() {
        Path detectorFile = SharedData.model("scrfd_500m_bnkps.onnx");
        assumeTrue(Files.isExecutable(Path.of(CostMatchedModels.PYTHON)), "needs " + CostMatchedModels.PYTHON);
        Path dir = CostMatchedModels.generate(CostMatchedModels.projectDir(), 0.002);
        detector = ScrfdDetector.open(detectorFile, ORT, DetectorSettings.defaults().withInputSize(320));
        swapper = OrtSessions.open(dir.resolve(CostMatchedModels.SWAPPER), ORT);
        enhancer = OrtSessions.open(dir.resolve(CostMatchedModels.ENHANCER), ORT);
    }

    @AfterAll
    static void close() {
        for (AutoCloseable c : new AutoCloseable[] {detector, swapper, enhancer}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // test teardown
            }
        }
    }

    private static float[] latent() {
        float[] l = new float[512];
        for (int i = 0; i < l.length; i++) {
            l[i] = (float) Math.sin(i) / 16f;
        }
        return l;
    }

    private static LiveFaceSwap swap(PhotoIntake intake, boolean enhance, int everyK) {
        return new LiveFaceSwap("test", intake, detector::detect, swapper, enhance ? enhancer : null, latent(),
                new LiveFaceSwap.Settings(8, new DetectionSchedule(everyK, 0.6, 0.15), 1, 0)).start();
    }

    @Test
    void aFaceIsSwappedInPlaceAndPixelsAwayFromItAreUntouched() throws Exception {
        ByteBuffer photo = PhotoFrame.render(SharedData.photo("obama.jpg"), W, H);
        PhotoIntake intake = new PhotoIntake(photo, W, H, 16, true);
        try (LiveFaceSwap live = swap(intake, true, 1)) {
            intake.submit(1);
            assertTrue(intake.awaitHandedBack(1, 30_000));
            assertEquals(FrameOutcome.PROCESSED, intake.outcome(1));
            assertEquals(1, live.detections());
        }
        ByteBuffer out = intake.result(1);
        int changedCentre = 0;
        int changedCorners = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int p = (y * W + x) * 4;
                boolean changed = out.get(p) != photo.get(p) || out.get(p + 1) != photo.get(p + 1)
                        || out.get(p + 2) != photo.get(p + 2);
                boolean corner = (x < 60 || x >= W - 60) && (y < 40 || y >= H - 40);
                if (changed && corner) {
                    changedCorners++;
                }
                if (changed && !corner) {
                    changedCentre++;
                }
                assertEquals(photo.get(p + 3), out.get(p + 3), "alpha is never touched");
            }
        }
        assertTrue(changedCentre > 2_000, "only " + changedCentre + " pixels of the face changed");
        assertEquals(0, changedCorners, "pixels far from the face changed");
    }

    @Test
    void allSixFacesOfAGroupPhotoGoThroughTheSwapperInOneRun() throws Exception {
        ByteBuffer photo = PhotoFrame.render(SharedData.photo("t1.jpg"), W, H);
        PhotoIntake intake = new PhotoIntake(photo, W, H, 16, false);
        try (LiveFaceSwap live = swap(intake, false, 1)) {
            intake.submit(1);
            assertTrue(intake.awaitHandedBack(1, 30_000));
            assertEquals(FrameOutcome.PROCESSED, intake.outcome(1));
            assertTrue(live.swapperBatched(), "the cost-matched swapper has a dynamic batch dimension");
            StageStats.Snapshot swapStage = live.pipeline().stats().stages().get(1);
            assertEquals(1, swapStage.frames());
        }
    }

    @Test
    void theDetectorRunsEveryKthFrameAndStillFacesAreTrackedBetween() throws Exception {
        ByteBuffer photo = PhotoFrame.render(SharedData.photo("obama.jpg"), W, H);
        PhotoIntake intake = new PhotoIntake(photo, W, H, 16, false);
        try (LiveFaceSwap live = swap(intake, false, 4)) {
            for (long s = 1; s <= 8; s++) {
                intake.submit(s);
                assertTrue(intake.awaitHandedBack(s, 30_000));
                assertEquals(FrameOutcome.PROCESSED, intake.outcome(s), "frame " + s);
            }
            assertEquals(2, live.detections(), "frames 1 and 5");
            assertEquals(6, live.trackedFrames());
            assertEquals(0, live.redetections());
        }
    }

    @Test
    void withBackgroundDetectionNoFrameWaitsForTheDetectorAndFacesAreAdoptedWhenFound() throws Exception {
        ByteBuffer photo = PhotoFrame.render(SharedData.photo("obama.jpg"), W, H);
        PhotoIntake intake = new PhotoIntake(photo, W, H, 16, false);
        try (LiveFaceSwap live = new LiveFaceSwap("test", intake, detector::detect, swapper, null, latent(),
                new LiveFaceSwap.Settings(8, new DetectionSchedule(4, 0.6, 0.15), 1, 320)).start()) {
            intake.submit(1);
            assertTrue(intake.awaitHandedBack(1, 30_000));
            assertEquals(FrameOutcome.UNCHANGED, intake.outcome(1), "the first frame leaves before any face is known");
            Thread.sleep(1_000); // the detection runs on its own thread meanwhile
            for (long s = 2; s <= 6; s++) {
                intake.submit(s);
                assertTrue(intake.awaitHandedBack(s, 30_000));
                assertEquals(FrameOutcome.PROCESSED, intake.outcome(s), "frame " + s);
            }
            assertTrue(live.detections() >= 1);
            assertTrue(live.trackedFrames() >= 3, "tracked " + live.trackedFrames());
            assertEquals(0, live.redetections(), "a still face never looks unsure");
        }
    }

    @Test
    void withoutAFaceTheFrameGoesBackUnchangedAndDetectionWaitsKFrames() throws Exception {
        ByteBuffer grey = ByteBuffer.allocateDirect(W * H * 4);
        for (int i = 0; i < W * H * 4; i++) {
            grey.put(i, (byte) 96);
        }
        PhotoIntake intake = new PhotoIntake(grey, W, H, 16, false);
        try (LiveFaceSwap live = swap(intake, true, 4)) {
            for (long s = 1; s <= 5; s++) {
                intake.submit(s);
                assertTrue(intake.awaitHandedBack(s, 30_000));
                assertEquals(FrameOutcome.UNCHANGED, intake.outcome(s));
            }
            assertEquals(2, live.detections(), "frames 1 and 5");
            assertEquals(0, live.pipeline().stats().failed());
        }
    }
}
