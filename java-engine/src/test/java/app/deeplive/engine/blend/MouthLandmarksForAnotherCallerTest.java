package app.deeplive.engine.blend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.analysis.BoundingBox;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.testing.SyntheticModels;
import app.deeplive.engine.testing.TestImages;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** Landmarks for another caller (synthetic 2d106det) share the loaded session and find exactly the original's points. */
class MouthLandmarksForAnotherCallerTest {
    @Test
    void findsExactlyTheOriginalsPointsAndClosingItLeavesTheOriginalWorking() {
        BoundingBox box = new BoundingBox(60, 40, 180, 200);
        MouthLandmarks original = MouthLandmarks.open(SyntheticModels.landmarks106(), OrtConfig.cpu());
        try (Mat frame = TestImages.pattern(320, 260, 9)) {
            float[] expected = original.detect(frame, box);
            try (MouthLandmarks sibling = original.forAnotherCaller()) {
                assertSame(original.model().session(), sibling.model().session(), "nothing was loaded again");
                assertArrayEquals(expected, sibling.detect(frame, box));
            }
            assertTrue(original.model().isOpen());
            assertArrayEquals(expected, original.detect(frame, box));
        } finally {
            original.close();
        }
        assertFalse(original.model().isOpen());
    }
}
