package app.deeplive.engine.live;

import app.deeplive.engine.channel.FrameResult;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.enhance.FaceEnhancer;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.pipeline.SwapModels;
import app.deeplive.engine.pipeline.SwapSettings;
import app.deeplive.engine.swap.Identity;
import app.deeplive.engine.swap.FaceSwapper;
import app.deeplive.engine.testing.SharedData;
import app.deeplive.engine.testing.SyntheticModels;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live face swap end to end on real photos: the real SCRFD detector from ../shared, and cost-matched swapper and
 * enhancer stand-ins (1/500 of the production cost) with the production I/O, through the same steps as the
 * sequential {@link app.deeplive.engine.pipeline.FaceSwapPipeline}.
 */
class LiveFaceSwapTest {
    private static final int W = 640;
    private static final int H = 360;
    private static final OrtConfig ORT = OrtConfig.cpu().withIntraOpThreads(1);

    private static SwapModels models;

    @BeforeAll
    static void models() {
        Path detectorFile = SharedData.model("scrfd_500m_bnkps.onnx");
        SyntheticModels.requireGenerator();
        Path dir = CostMatchedModels.generate(CostMatchedModels.projectDir(), 0.002);
        ScrfdDetector detector = ScrfdDetector.open(detectorFile, ORT, DetectorSettings.defaults().withInputSize(320));
        models = new SwapModels(detector, FaceSwapper.open(dir.resolve(CostMatchedModels.SWAPPER), ORT), null, null,
                Map.of(EnhancerKind.GPEN256, FaceEnhancer.open(dir.resolve(CostMatchedModels.ENHANCER), ORT, 256)));
    }

    @AfterAll
    static void close() {
        if (models != null) {
            models.close();
        }
    }

    private static SwapSettings settings(boolean enhance, boolean manyFaces, int everyK) {
        float[] e = new float[512];
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) Math.sin(i) / 16f;
        }
        return SwapSettings.of(new Identity(e)).withManyFaces(manyFaces)
                .withEnhancer(enhance ? EnhancerKind.GPEN256 : null, 1.0).withDetectEveryK(everyK);
    }

    private static LiveFaceSwap swap(PhotoIntake intake, boolean enhance, int everyK) {
        SwapSettings s = settings(enhance, false, everyK);
        return new LiveFaceSwap("test", intake, models, () -> s, 1).start();
    }

    @Test
    void aFaceIsSwappedInPlaceAndPixelsAwayFromItAreUntouched() throws Exception {
        ByteBuffer photo = PhotoFrame.render(SharedData.photo("obama.jpg"), W, H);
        PhotoIntake intake = new PhotoIntake(photo, W, H, 16, true);
        try (LiveFaceSwap live = swap(intake, true, 1)) {
            intake.submit(1);
            assertTrue(intake.awaitHandedBack(1, 30_000));
            assertEquals(FrameResult.PROCESSED, intake.outcome(1));
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
    void withManyFacesAllSixFacesOfAGroupPhotoGoThroughTheSwapperInOneRun() throws Exception {
        ByteBuffer photo = PhotoFrame.render(SharedData.photo("t1.jpg"), W, H);
        PhotoIntake intake = new PhotoIntake(photo, W, H, 16, false);
        SwapSettings s = settings(false, true, 1);
        try (LiveFaceSwap live = new LiveFaceSwap("test", intake, models, () -> s, 1).start()) {
            intake.submit(1);
            assertTrue(intake.awaitHandedBack(1, 30_000));
            assertEquals(FrameResult.PROCESSED, intake.outcome(1));
            assertEquals(6, live.facesSwapped());
            assertTrue(models.swapper().batched(), "one swapper run for all six: the batch dimension is dynamic");
            StageStats.Snapshot swapStage = live.pipeline().stats().stages().get(1);
            assertEquals(1, swapStage.frames());
        }
    }

    @Test
    void aSettingsChangeAppliesFromTheNextFrame() throws Exception {
        ByteBuffer photo = PhotoFrame.render(SharedData.photo("obama.jpg"), W, H);
        PhotoIntake intake = new PhotoIntake(photo, W, H, 16, true);
        AtomicReference<SwapSettings> current = new AtomicReference<>(settings(false, false, 1));
        try (LiveFaceSwap live = new LiveFaceSwap("test", intake, models, current::get, 1).start()) {
            intake.submit(1);
            assertTrue(intake.awaitHandedBack(1, 30_000));
            assertEquals(FrameResult.PROCESSED, intake.outcome(1));
            current.set(SwapSettings.of(null)); // no identity any more: nothing to swap
            intake.submit(2);
            assertTrue(intake.awaitHandedBack(2, 30_000));
            assertEquals(FrameResult.UNSWAPPED, intake.outcome(2), "its face is the real one: not to be shown");
            assertEquals(photo, intake.result(2), "no identity: the frame is left as it was");
            assertEquals(1, live.facesSwapped());
        }
    }

    @Test
    void beforeTheIdentityArrivesFramesGoBackUnswappedThenTheyAreSwapped() throws Exception {
        // A session opens before its source face is analysed: those first frames show the streamer's real face and
        // must never be taken for swapped ones.
        ByteBuffer photo = PhotoFrame.render(SharedData.photo("obama.jpg"), W, H);
        PhotoIntake intake = new PhotoIntake(photo, W, H, 16, true);
        AtomicReference<SwapSettings> current = new AtomicReference<>(SwapSettings.of(null));
        try (LiveFaceSwap live = new LiveFaceSwap("test", intake, models, current::get, 1).start()) {
            for (long s = 1; s <= 3; s++) {
                intake.submit(s);
                assertTrue(intake.awaitHandedBack(s, 30_000));
                assertEquals(FrameResult.UNSWAPPED, intake.outcome(s), "frame " + s + " carries the real face");
                assertEquals(photo, intake.result(s), "untouched");
            }
            current.set(settings(false, false, 1));
            intake.submit(4);
            assertTrue(intake.awaitHandedBack(4, 30_000));
            assertEquals(FrameResult.PROCESSED, intake.outcome(4));
            assertEquals(1, live.facesSwapped());
        }
    }

    @Test
    void aFrameTheSessionRefusesGoesBackUnswapped() throws Exception {
        ByteBuffer photo = PhotoFrame.render(SharedData.photo("obama.jpg"), W, H);
        PhotoIntake intake = new PhotoIntake(photo, W, H, 16, true);
        SwapSettings s = settings(false, false, 1);
        StreamObserver refusesAll = new StreamObserver() {
            @Override
            public boolean admits(FrameView frame) {
                return false; // e.g. over the session's size limits
            }
        };
        try (LiveFaceSwap live = new LiveFaceSwap("test", intake, models, () -> s, 1, refusesAll).start()) {
            intake.submit(1);
            assertTrue(intake.awaitHandedBack(1, 30_000));
            assertEquals(FrameResult.UNSWAPPED, intake.outcome(1));
            assertEquals(photo, intake.result(1));
            assertEquals(0, live.facesSwapped());
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
                assertEquals(FrameResult.PROCESSED, intake.outcome(s), "frame " + s);
            }
            // Frame 1 is detected where it is (nothing to follow yet); frame 5's round is asked of the detector
            // thread and taken when it is ready, a frame or two later, while the faces are followed by their flow.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (live.detectorRuns() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(50);
            assertEquals(1, live.detectorRuns(), "the detector thread looked at frame 5 only");
            assertEquals(8, live.detections() + live.trackedFrames(), "every frame had its face");
        }
    }

    @Test
    void withoutAFaceTheFrameGoesBackUnchangedAndTheDetectorLooksOnEveryFrame() throws Exception {
        ByteBuffer grey = ByteBuffer.allocateDirect(W * H * 4);
        for (int i = 0; i < W * H * 4; i++) {
            grey.put(i, (byte) 96);
        }
        PhotoIntake intake = new PhotoIntake(grey, W, H, 16, true);
        try (LiveFaceSwap live = swap(intake, true, 4)) {
            for (long s = 1; s <= 5; s++) {
                intake.submit(s);
                assertTrue(intake.awaitHandedBack(s, 30_000));
                assertEquals(FrameResult.UNCHANGED, intake.outcome(s), "no face: nothing to swap, nothing to leak");
                assertEquals(grey, intake.result(s), "no face: the frame is left as it was");
            }
            assertEquals(5, live.detections(), "with nothing tracked, a face that appears is found at once");
            assertEquals(0, live.pipeline().stats().failed());
        }
    }
}
