package app.deeplive.engine.analysis.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.image.ImageLoader;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.testing.SharedData;
import app.deeplive.engine.testing.TwoThreads;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A detector for another caller shares the loaded SCRFD session (real det_2.5g) and finds exactly what the original
 * finds; it runs while the original is busy, two of them run the same frame at once with the same result, and the
 * session closes once, with the last detector over it.
 */
class ScrfdDetectorForAnotherCallerTest {
    private static Mat photo;
    private static Mat group;

    @BeforeAll
    static void load() {
        photo = ImageLoader.load(SharedData.photo("obama.jpg"));
        group = ImageLoader.load(SharedData.photo("t1.jpg"));
    }

    @AfterAll
    static void free() {
        if (photo != null) {
            photo.close();
            group.close();
        }
    }

    private static ScrfdDetector open() {
        return ScrfdDetector.open(SharedData.model("scrfd_2.5g_bnkps.onnx"), OrtConfig.cpu(), DetectorSettings.defaults());
    }

    @Test
    void findsExactlyWhatTheOriginalFindsOverTheSameLoadedSession() {
        try (ScrfdDetector original = open(); ScrfdDetector sibling = original.forAnotherCaller()) {
            assertSame(original.model().session(), sibling.model().session(), "nothing was loaded again");
            assertEquals(original.inputSize(), sibling.inputSize());
            for (Mat image : List.of(photo, group, photo)) {
                List<Face> expected = original.detect(image);
                assertFalse(expected.isEmpty());
                assertEquals(expected, sibling.detect(image));
            }
        }
    }

    @Test
    void closingASiblingLeavesTheOriginalWorkingAndTheModelOpen() {
        try (ScrfdDetector original = open()) {
            List<Face> expected = original.detect(photo);
            original.forAnotherCaller().close();
            ScrfdDetector second = original.forAnotherCaller();
            assertEquals(expected, second.detect(photo));
            second.close();
            assertTrue(original.model().isOpen());
            assertEquals(expected, original.detect(photo));
        }
    }

    @Test
    void theSessionClosesExactlyOnceWithTheLastDetectorOverIt() throws Exception {
        ScrfdDetector original = open();
        OrtSession session = original.model().session();
        ScrfdDetector a = original.forAnotherCaller();
        ScrfdDetector b = original.forAnotherCaller();
        List<Face> expected = original.detect(photo);
        a.close();
        b.close();
        assertTrue(original.model().isOpen(), "the original's handle keeps it open");
        original.close(); // a second close of the OrtSession would throw here
        assertFalse(original.model().isOpen());
        assertThrows(IllegalStateException.class, () -> session.run(Map.of()), "the session is closed");

        // Closed the other way round: a detector still in use keeps the session open until it closes.
        ScrfdDetector first = open();
        ScrfdDetector later = first.forAnotherCaller();
        first.close();
        assertTrue(later.model().isOpen());
        assertEquals(expected, later.detect(photo));
        assertThrows(IllegalStateException.class, first::forAnotherCaller, "a closed detector makes no more");
        later.close();
        assertFalse(later.model().isOpen());
    }

    @Test
    void twoSiblingsOnTwoThreadsDetectAtOnceWithTheOriginalsResult() throws Exception {
        try (ScrfdDetector original = open(); ScrfdDetector a = original.forAnotherCaller();
                ScrfdDetector b = original.forAnotherCaller()) {
            List<Mat> frames = List.of(group, photo);
            List<List<Face>> expected = List.of(original.detect(group), original.detect(photo));
            assertTrue(expected.get(0).size() >= 2, "the group photo has several faces: " + expected.get(0));
            List<ScrfdDetector> callers = List.of(a, b);
            // The same frame on both threads at once, then different frames (which shared buffers would mix up).
            for (List<List<Face>> caller : TwoThreads.run(10, c -> r -> callers.get(c).detect(group))) {
                caller.forEach(round -> assertEquals(expected.get(0), round));
            }
            List<List<List<Face>>> results = TwoThreads.run(20, c -> r -> callers.get(c).detect(frames.get((c + r) % 2)));
            for (int c = 0; c < 2; c++) {
                for (int r = 0; r < results.get(c).size(); r++) {
                    assertEquals(expected.get((c + r) % 2), results.get(c).get(r), "caller " + c + ", round " + r);
                }
            }
        }
    }
}
