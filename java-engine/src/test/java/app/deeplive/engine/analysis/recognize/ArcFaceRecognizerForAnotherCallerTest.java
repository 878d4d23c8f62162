package app.deeplive.engine.analysis.recognize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.analysis.align.FaceTemplate;
import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.testing.SharedData;
import app.deeplive.engine.testing.TestImages;
import app.deeplive.engine.testing.TwoThreads;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** A recogniser for another caller (real MobileFaceNet) shares the loaded session and embeds exactly as the original. */
class ArcFaceRecognizerForAnotherCallerTest {
    @Test
    void embedsExactlyAsTheOriginalAloneAndTwoThreadsAtOnceAndLeavesTheModelToTheLast() throws Exception {
        float[] kps = SimilarityTransform.of(1.5, 0.05, 40, 30).applyAll(FaceTemplate.ARCFACE_112.points());
        ArcFaceRecognizer original = ArcFaceRecognizer.open(SharedData.model("mobilefacenet.onnx"), OrtConfig.cpu());
        try (Mat frame = TestImages.pattern(320, 260, 7); Mat other = TestImages.pattern(320, 260, 8);
                ArcFaceRecognizer a = original.forAnotherCaller();
                ArcFaceRecognizer b = original.forAnotherCaller()) {
            assertSame(original.model().session(), a.model().session(), "nothing was loaded again");
            assertEquals(original.normalisation(), a.normalisation());
            List<Mat> frames = List.of(frame, other);
            List<float[]> expected = List.of(original.embed(frame, kps), original.embed(other, kps));
            List<ArcFaceRecognizer> callers = List.of(a, b);
            for (List<float[]> caller : TwoThreads.run(10, c -> r -> callers.get(c).embed(frame, kps))) {
                caller.forEach(round -> assertArrayEquals(expected.get(0), round)); // the same frame at once
            }
            List<List<float[]>> results = TwoThreads.run(20, c -> r -> callers.get(c).embed(frames.get((c + r) % 2), kps));
            for (int c = 0; c < 2; c++) { // different frames at once: shared buffers would mix them up
                for (int r = 0; r < results.get(c).size(); r++) {
                    assertArrayEquals(expected.get((c + r) % 2), results.get(c).get(r), "caller " + c + ", round " + r);
                }
            }
        } finally {
            assertTrue(original.model().isOpen(), "the siblings closed; the original's handle is open");
            original.close();
        }
        assertFalse(original.model().isOpen());
    }
}
