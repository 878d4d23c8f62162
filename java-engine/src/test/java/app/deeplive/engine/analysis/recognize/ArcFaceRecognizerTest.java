package app.deeplive.engine.analysis.recognize;

import app.deeplive.engine.onnx.Normalisation;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2BGRA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.image.ImageLoader;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.testing.SharedData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** MobileFaceNet on SCRFD keypoints tells the shared photos' people apart. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArcFaceRecognizerTest {
    private static final Map<String, List<String>> PEOPLE = Map.of(
            "Rob Lowe", List.of("Rob_Lowe_0001.jpg", "Rob_Lowe_0002.jpg"),
            "Obama", List.of("obama.jpg", "obama2.jpg", "obama3.jpg"),
            "Biden", List.of("biden.jpg", "biden2.jpg"));

    private ScrfdDetector detector;
    private ArcFaceRecognizer recognizer;
    private final Map<String, float[]> embeddings = new LinkedHashMap<>();

    @BeforeAll
    void load() {
        detector = ScrfdDetector.open(SharedData.model("scrfd_2.5g_bnkps.onnx"), OrtConfig.cpu(), DetectorSettings.defaults());
        recognizer = ArcFaceRecognizer.open(SharedData.model("mobilefacenet.onnx"), OrtConfig.cpu());
        PEOPLE.values().forEach(photos -> photos.forEach(p -> embeddings.put(p, embed(p))));
    }

    @AfterAll
    void close() {
        if (recognizer != null) {
            recognizer.close();
        }
        if (detector != null) {
            detector.close();
        }
    }

    @Test
    void samePersonPairsAreSimilar() {
        PEOPLE.forEach((person, photos) -> {
            for (int i = 0; i < photos.size(); i++) {
                for (int j = i + 1; j < photos.size(); j++) {
                    float c = ArcFaceRecognizer.cosine(embeddings.get(photos.get(i)), embeddings.get(photos.get(j)));
                    assertTrue(c >= 0.5f, person + ": " + photos.get(i) + " vs " + photos.get(j) + " cosine " + c);
                }
            }
        });
    }

    @Test
    void differentPeopleAreNot() {
        PEOPLE.forEach((a, photosA) -> PEOPLE.forEach((b, photosB) -> {
            if (a.compareTo(b) < 0) {
                for (String pa : photosA) {
                    for (String pb : photosB) {
                        float c = ArcFaceRecognizer.cosine(embeddings.get(pa), embeddings.get(pb));
                        assertTrue(c <= 0.3f, pa + " vs " + pb + " cosine " + c);
                    }
                }
            }
        }));
    }

    @Test
    void embeddingsHaveTheModelsLengthAndUnitNorm() {
        for (float[] e : embeddings.values()) {
            assertEquals(128, e.length);
            double sum = 0;
            for (float v : e) {
                sum += v * v;
            }
            assertEquals(1.0, sum, 1e-4);
        }
    }

    @Test
    void aBgraFrameGivesTheSameEmbedding() {
        try (Mat bgr = ImageLoader.load(SharedData.photo("biden.jpg")); Mat bgra = new Mat()) {
            cvtColor(bgr, bgra, COLOR_BGR2BGRA);
            Face face = detector.detect(bgr).get(0);
            assertArrayEquals(recognizer.embed(bgr, face.kps()), recognizer.recognise(bgra, face).embedding(), 1e-5f);
        }
    }

    @Test
    void picksTheNormalisationByModel() {
        assertEquals(Normalisation.MOBILEFACENET, recognizer.normalisation());
    }

    @Test
    void cosineOfKnownVectors() {
        assertEquals(1f, ArcFaceRecognizer.cosine(new float[] {3, 4}, new float[] {6, 8}), 1e-6f);
        assertEquals(0f, ArcFaceRecognizer.cosine(new float[] {1, 0}, new float[] {0, 2}), 1e-6f);
        assertEquals(-1f, ArcFaceRecognizer.cosine(new float[] {1, 1}, new float[] {-1, -1}), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> ArcFaceRecognizer.cosine(new float[2], new float[3]));
    }

    @Test
    void rejectsAModelThatIsNotARecogniser() {
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> ArcFaceRecognizer.open(SharedData.model("FaceMesh.onnx"), OrtConfig.cpu()));
        assertTrue(e.getMessage().contains("is not an ArcFace-style recogniser"), e.getMessage());
    }

    /** SCRFD's input is dynamic, so it takes a 112×112 face; its scores would pass for a 1-wide embedding. */
    @Test
    void rejectsADetectorWhoseDynamicInputWouldTakeAFace() {
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> ArcFaceRecognizer.open(SharedData.model("scrfd_500m_bnkps.onnx"), OrtConfig.cpu()));
        assertTrue(e.getMessage().contains("is not an ArcFace-style recogniser"), e.getMessage());
        assertTrue(e.getMessage().endsWith("pass e.g. w600k_r50.onnx"), e.getMessage());
    }

    private float[] embed(String photo) {
        try (Mat image = ImageLoader.load(SharedData.photo(photo))) {
            List<Face> faces = detector.detect(image);
            assertEquals(1, faces.size(), photo);
            return recognizer.recognise(image, faces.get(0)).embedding();
        }
    }
}
