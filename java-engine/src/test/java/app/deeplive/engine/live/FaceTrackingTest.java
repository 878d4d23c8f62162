package app.deeplive.engine.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.analysis.align.FaceTemplate;
import app.deeplive.engine.analysis.align.SimilarityTransform;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Tracking between detections, when to detect again, and the allocation-free crop transforms. */
class FaceTrackingTest {
    private static final int W = 320;
    private static final int H = 240;

    /** A BGRA frame with a textured 60×60 "face" whose top-left corner is at (x, y) on a flat background. */
    private static ByteBuffer frameWithFaceAt(int fx, int fy) {
        ByteBuffer px = ByteBuffer.allocateDirect(W * H * 4);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int v = 90;
                int u = x - fx;
                int w = y - fy;
                if (u >= 0 && u < 60 && w >= 0 && w < 60) {
                    v = 40 + (int) (80 * (1 + Math.sin(u * 0.35) * Math.cos(w * 0.23))) + (u * w) % 17;
                }
                int p = (y * W + x) * 4;
                px.put(p, (byte) v).put(p + 1, (byte) v).put(p + 2, (byte) v).put(p + 3, (byte) 255);
            }
        }
        return px;
    }

    private static FaceSet faceAt(float x, float y) {
        FaceSet faces = new FaceSet(2);
        float[] kps = {x + 18, y + 22, x + 42, y + 22, x + 30, y + 34, x + 20, y + 46, x + 40, y + 46};
        faces.add(x, y, x + 60, y + 60, 0.9f, kps, 0);
        return faces;
    }

    @Test
    void aFaceThatMovesALittleIsFollowedWithHighConfidence() {
        PatchTracker tracker = new PatchTracker(2);
        FaceSet faces = faceAt(100, 80);
        tracker.reset(frameWithFaceAt(100, 80), W, H, W * 4, 4, faces);
        tracker.track(frameWithFaceAt(107, 76), W, H, W * 4, 4, faces);
        assertEquals(107, faces.x1(0), 60 / 16f, "followed to the right");
        assertEquals(76, faces.y1(0), 60 / 16f, "and up");
        assertEquals(107 + 18, faces.kpsArray()[0], 60 / 16f, "keypoints move with the box");
        assertTrue(tracker.weakestConfidence() > 0.8, "confidence " + tracker.weakestConfidence());
        assertFalse(DetectionSchedule.DEFAULT.detectAfterTracking(tracker.weakestConfidence(), tracker.largestStep()));
    }

    @Test
    void aStillFaceStaysExactlyWhereItWas() {
        PatchTracker tracker = new PatchTracker(2);
        FaceSet faces = faceAt(100, 80);
        ByteBuffer frame = frameWithFaceAt(100, 80);
        tracker.reset(frame, W, H, W * 4, 4, faces);
        tracker.track(frame, W, H, W * 4, 4, faces);
        assertEquals(100, faces.x1(0));
        assertEquals(80, faces.y1(0));
        assertEquals(0, tracker.largestStep());
    }

    @Test
    void aFaceThatJumpsFarOrVanishesAsksForTheDetector() {
        PatchTracker tracker = new PatchTracker(2);
        FaceSet faces = faceAt(100, 80);
        tracker.reset(frameWithFaceAt(100, 80), W, H, W * 4, 4, faces);
        tracker.track(frameWithFaceAt(180, 150), W, H, W * 4, 4, faces);
        assertTrue(DetectionSchedule.DEFAULT.detectAfterTracking(tracker.weakestConfidence(), tracker.largestStep()),
                "moved 80 px in a frame: tracking cannot vouch for it");

        FaceSet gone = faceAt(100, 80);
        tracker.reset(frameWithFaceAt(100, 80), W, H, W * 4, 4, gone);
        tracker.track(frameWithFaceAt(1000, 1000), W, H, W * 4, 4, gone);
        assertTrue(DetectionSchedule.DEFAULT.detectAfterTracking(tracker.weakestConfidence(), tracker.largestStep()));
    }

    @Test
    void theScheduleDetectsEveryKthFrameAtTheLatest() {
        DetectionSchedule every4 = new DetectionSchedule(4, 0.6, 0.15);
        assertFalse(every4.detectBeforeTracking(0, 1));
        assertFalse(every4.detectBeforeTracking(2, 1));
        assertTrue(every4.detectBeforeTracking(3, 1), "the 4th frame after a detection");
        assertTrue(new DetectionSchedule(1, 0.6, 0.15).detectBeforeTracking(0, 1), "k = 1: every frame");
        assertTrue(every4.detectAfterTracking(0.5, 0), "unsure");
        assertTrue(every4.detectAfterTracking(0.9, 0.2), "fast");
        assertFalse(every4.detectAfterTracking(0.9, 0.1));
    }

    @Test
    void theCropTransformMatchesTheReferenceSimilarityEstimate() {
        float[] kps = {812.4f, 401.2f, 903.9f, 396.0f, 861.0f, 452.7f, 822.5f, 503.3f, 899.1f, 499.8f};
        float[] template = FaceTemplate.INSWAPPER_128.points();
        double[] mine = new double[6];
        Affine.fitSimilarity(kps, 0, template, mine);
        double[] reference = SimilarityTransform.estimate(kps, template).matrix();
        assertArrayEquals(reference, mine, 1e-6);
        double[] inverse = new double[6];
        double[] identity = new double[6];
        Affine.invert(mine, inverse);
        Affine.then(mine, inverse, identity);
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0}, identity, 1e-9);
    }
}
