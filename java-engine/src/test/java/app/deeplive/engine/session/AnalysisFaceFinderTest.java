package app.deeplive.engine.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.analysis.recognize.ArcFaceRecognizer;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.testing.SharedData;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The source face is found with the real SCRFD and MobileFaceNet models from ../shared. */
class AnalysisFaceFinderTest {
    private static AnalysisFaceFinder finder;
    private static ScrfdDetector detector;
    private static ArcFaceRecognizer recognizer;
    private static final SourceImages IMAGES = new SourceImages();

    @BeforeAll
    static void load() {
        OrtConfig cpu = OrtConfig.cpu();
        detector = ScrfdDetector.open(SharedData.model("scrfd_2.5g_bnkps.onnx"), cpu, DetectorSettings.defaults());
        recognizer = ArcFaceRecognizer.open(SharedData.model("mobilefacenet.onnx"), cpu);
        finder = new AnalysisFaceFinder(detector, recognizer);
    }

    @AfterAll
    static void close() {
        if (detector != null) {
            detector.close();
        }
        if (recognizer != null) {
            recognizer.close();
        }
    }

    private static SourceFace face(String photo) {
        return new SourceFaceRequests(IMAGES, finder).fromPath(SharedData.photo(photo).toString());
    }

    private static float cosine(SourceFace a, SourceFace b) {
        FloatBuffer x = a.embedding();
        FloatBuffer y = b.embedding();
        float dot = 0;
        for (int i = 0; i < a.embeddingSize(); i++) {
            dot += x.get(i) * y.get(i);
        }
        return dot;
    }

    @Test
    void aPortraitGivesItsFaceBoxScoreAndANormalisedEmbedding() {
        SourceFace obama = face("obama.jpg");
        float[] box = obama.box();
        assertTrue(box[2] - box[0] > 50 && box[3] - box[1] > 50, java.util.Arrays.toString(box));
        assertTrue(obama.score() > 0.5f);
        assertEquals(1.0, cosine(obama, obama), 1e-4);
    }

    @Test
    void theSamePersonIsCloseAndAnotherIsFar() {
        assertTrue(cosine(face("obama.jpg"), face("obama2.jpg")) >= 0.5);
        assertTrue(cosine(face("obama.jpg"), face("biden.jpg")) <= 0.3);
    }

    @Test
    void aGroupPhotoGivesTheLargestFace() {
        SourceFace f = face("t1.jpg");
        float area = (f.box()[2] - f.box()[0]) * (f.box()[3] - f.box()[1]);
        try (var image = IMAGES.fromPath(SharedData.photo("t1.jpg").toString())) {
            var all = detector.detect(image);
            assertEquals(6, all.size());
            float largest = 0;
            for (var face : all) {
                largest = Math.max(largest, face.box().width() * face.box().height());
            }
            assertEquals(largest, area, 1e-3f);
        }
    }

    @Test
    void anImageWithoutAFaceIsNoFace() {
        byte[] blank = SourceImagesTest.encoded(".png", 320, 240);
        try (var image = IMAGES.decode(blank)) {
            RequestRejected e = assertThrows(RequestRejected.class, () -> finder.find(image));
            assertEquals(RequestRejected.Reason.NO_FACE, e.reason());
            assertTrue(e.getMessage().startsWith("no face in source image"));
        }
    }
}
