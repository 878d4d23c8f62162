package app.deeplive.engine.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.analysis.BoundingBox;
import app.deeplive.engine.analysis.Face;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaceTrackerTest {
    private static final long FRAME = 33_333_333L;

    static Face faceAt(float cx, float cy, float size) {
        float h = size / 2;
        float[] kps = {cx - 0.3f * size, cy - 0.1f * size, cx + 0.3f * size, cy - 0.1f * size, cx, cy + 0.05f * size,
            cx - 0.2f * size, cy + 0.25f * size, cx + 0.2f * size, cy + 0.25f * size};
        return new Face(new BoundingBox(cx - h, cy - h, cx + h, cy + h), 0.9f, kps);
    }

    @Test
    void aPersonKeepsTheirTrackAndALeavingPersonsTrackIsNotHandedOn() {
        FaceTracker tracker = new FaceTracker(TrackerSettings.DEFAULT);
        List<Track> first = tracker.update(List.of(faceAt(100, 100, 80), faceAt(400, 120, 80)), 0);
        long a = first.get(0).id();
        long b = first.get(1).id();
        // A leaves; B stays (slightly moved).
        for (int i = 1; i <= TrackerSettings.DEFAULT.maxMissed(); i++) {
            List<Track> now = tracker.update(List.of(faceAt(402, 121, 80)), i * FRAME);
            assertEquals(2, now.size(), "A is held for a few rounds");
            Track held = now.stream().filter(t -> t.id() == a).findFirst().orElseThrow();
            assertEquals(i, held.missed());
            assertEquals(100, held.face().box().centreX(), 1e-3, "held at its last position");
        }
        List<Track> after = tracker.update(List.of(faceAt(403, 121, 80)), 10 * FRAME);
        assertEquals(1, after.size(), "A's track ends");
        assertEquals(b, after.get(0).id(), "B keeps its own id");
        // Someone appearing where A was is a new person, not A.
        List<Track> newcomer = tracker.update(List.of(faceAt(403, 121, 80), faceAt(100, 100, 80)), 11 * FRAME);
        assertEquals(2, newcomer.size());
        assertTrue(newcomer.stream().noneMatch(t -> t.id() == a));
    }

    @Test
    void decisionsStayWithTheTrack() {
        FaceTracker tracker = new FaceTracker(TrackerSettings.DEFAULT);
        Track t = tracker.update(List.of(faceAt(100, 100, 80)), 0).get(0);
        t.assign("source-1");
        Track later = tracker.update(List.of(faceAt(104, 98, 80)), FRAME).get(0);
        assertEquals(t.id(), later.id());
        assertEquals("source-1", later.assignment());
    }

    @Test
    void smoothingReducesKeypointJitter() {
        FaceTracker tracker = new FaceTracker(TrackerSettings.DEFAULT);
        java.util.Random noise = new java.util.Random(42);
        double rawSq = 0, smoothSq = 0;
        int n = 0;
        for (int i = 0; i < 120; i++) {
            float jx = (float) noise.nextGaussian() * 2f;
            float jy = (float) noise.nextGaussian() * 2f;
            Track t = tracker.update(List.of(faceAt(300 + jx, 200 + jy, 120)), i * FRAME).get(0);
            if (i >= 20) {
                float[] kps = t.face().kps();
                float expectedX = 300 - 0.3f * 120;
                rawSq += jx * jx;
                smoothSq += (kps[0] - expectedX) * (kps[0] - expectedX);
                n++;
            }
        }
        double rawRms = Math.sqrt(rawSq / n);
        double smoothRms = Math.sqrt(smoothSq / n);
        // The whole face shaking by σ = 2 px each frame (harsher than SCRFD's jitter): measured 2.0 → 1.07 px.
        assertTrue(smoothRms < 0.6 * rawRms, "jitter " + rawRms + " px -> " + smoothRms + " px");
    }

    @Test
    void smoothingFollowsRealMovementWithoutLaggingFarBehind() {
        FaceTracker tracker = new FaceTracker(TrackerSettings.DEFAULT);
        Track t = null;
        for (int i = 0; i < 60; i++) {
            t = tracker.update(List.of(faceAt(100 + 10 * i, 200, 120)), i * FRAME).get(0); // 300 px/s
        }
        float x = t.face().kps()[0];
        float truth = 100 + 10 * 59 - 0.3f * 120;
        assertTrue(Math.abs(x - truth) < 4, "lag " + (truth - x) + " px at 300 px/s"); // measured 2.4 px
    }

    @Test
    void aStillFaceIsPassedUnchanged() {
        KeypointSmoother s = new KeypointSmoother(1.0, 0.05, 1.0);
        float[] kps = faceAt(50, 60, 40).kps();
        for (int i = 0; i < 10; i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(kps, s.smooth(kps, 0.033), 1e-4f);
        }
    }
}
