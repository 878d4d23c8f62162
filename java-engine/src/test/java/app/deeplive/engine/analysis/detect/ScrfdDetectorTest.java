package app.deeplive.engine.analysis.detect;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2BGRA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.image.ImageLoader;
import app.deeplive.engine.image.PixelFormat;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.testing.SharedData;
import java.nio.ByteBuffer;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SCRFD on real photos, with an unbatched (2.5g) and a batched (500m) export. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScrfdDetectorTest {
    private static final String[] SINGLE_PERSON = {"Rob_Lowe_0001.jpg", "Rob_Lowe_0002.jpg", "obama.jpg", "obama2.jpg",
        "obama3.jpg", "biden.jpg", "biden2.jpg"};

    private ScrfdDetector unbatched;
    private ScrfdDetector batched;

    @BeforeAll
    void load() {
        OrtConfig cpu = OrtConfig.cpu();
        unbatched = ScrfdDetector.open(SharedData.model("scrfd_2.5g_bnkps.onnx"), cpu, DetectorSettings.defaults());
        batched = ScrfdDetector.open(SharedData.model("scrfd_500m_bnkps.onnx"), cpu, DetectorSettings.defaults());
    }

    @AfterAll
    void close() {
        if (unbatched != null) {
            unbatched.close();
        }
        if (batched != null) {
            batched.close();
        }
    }

    private ScrfdDetector detector(String model) {
        return model.equals("2.5g") ? unbatched : batched;
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.5g", "500m"})
    void findsTheSixFacesOfTheGroupPhotoHighestScoreFirst(String model) {
        List<Face> faces = detect(detector(model), "t1.jpg");
        assertEquals(6, faces.size(), faces.toString());
        for (int i = 1; i < faces.size(); i++) {
            assertTrue(faces.get(i - 1).score() >= faces.get(i).score());
        }
        faces.forEach(f -> assertTrue(f.score() >= 0.5f, f.toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.5g", "500m"})
    void findsExactlyOneFaceInEachSinglePersonPhoto(String model) {
        for (String photo : SINGLE_PERSON) {
            assertEquals(1, detect(detector(model), photo).size(), photo);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.5g", "500m"})
    void keypointsLieInsideTheirBoxInAnatomicalOrder(String model) {
        for (String photo : new String[] {"t1.jpg", "obama.jpg", "biden.jpg", "Rob_Lowe_0001.jpg"}) {
            for (Face f : detect(detector(model), photo)) {
                for (int p = 0; p < 5; p++) {
                    assertTrue(f.box().contains(f.kpX(p), f.kpY(p)), photo + " point " + p + " outside " + f);
                }
                assertTrue(f.kpX(Face.LEFT_EYE) < f.kpX(Face.RIGHT_EYE), photo + ": eyes swapped " + f);
                assertTrue(f.kpX(Face.LEFT_MOUTH) < f.kpX(Face.RIGHT_MOUTH), photo + ": mouth corners swapped " + f);
                float eyes = Math.max(f.kpY(Face.LEFT_EYE), f.kpY(Face.RIGHT_EYE));
                float mouth = Math.min(f.kpY(Face.LEFT_MOUTH), f.kpY(Face.RIGHT_MOUTH));
                assertTrue(eyes < f.kpY(Face.NOSE) && f.kpY(Face.NOSE) < mouth, photo + ": nose not between " + f);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.5g", "500m"})
    void halfScaleAndPaddingGiveTheSameKeypoints(String model) {
        ScrfdDetector d = detector(model);
        try (Mat photo = ImageLoader.load(SharedData.photo("obama.jpg")); Mat half = new Mat(); Mat padded = new Mat()) {
            Face original = single(d.detect(photo));
            resize(photo, half, new Size(photo.cols() / 2, photo.rows() / 2), 0, 0, INTER_AREA);
            Face small = single(d.detect(half));
            copyMakeBorder(photo, padded, 120, 300, 200, 40, BORDER_CONSTANT, new Scalar(0.0));
            Face moved = single(d.detect(padded));
            float tolerance = 0.02f * original.box().width();
            for (int i = 0; i < 5; i++) {
                assertEquals(original.kpX(i), small.kpX(i) * photo.cols() / (float) half.cols(), tolerance, "half x" + i);
                assertEquals(original.kpY(i), small.kpY(i) * photo.rows() / (float) half.rows(), tolerance, "half y" + i);
                assertEquals(original.kpX(i), moved.kpX(i) - 200, tolerance, "padded x" + i);
                assertEquals(original.kpY(i), moved.kpY(i) - 120, tolerance, "padded y" + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.5g", "500m"})
    void aBlankFrameHasNoFaces(String model) {
        try (Mat blank = new Mat(720, 1280, CV_8UC3, new Scalar(128, 128, 128, 0))) {
            assertEquals(List.of(), detector(model).detect(blank));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.5g", "500m"})
    void aStridedBgraViewGivesTheSameFacesAsBgr(String model) {
        ScrfdDetector d = detector(model);
        try (Mat bgr = ImageLoader.load(SharedData.photo("t1.jpg")); Mat bgra = new Mat()) {
            List<Face> expected = d.detect(bgr);
            cvtColor(bgr, bgra, COLOR_BGR2BGRA);
            int stride = bgra.cols() * 4 + 256; // like a GPU texture's padded rows
            ByteBuffer shared = ByteBuffer.allocateDirect(stride * bgra.rows());
            try (BytePointer p = new BytePointer(shared); Mat strided = new Mat(bgra.rows(), bgra.cols(), bgra.type(), p, stride)) {
                bgra.copyTo(strided);
                try (FrameView view = FrameView.wrap(shared, bgra.cols(), bgra.rows(), stride, PixelFormat.BGRA)) {
                    List<Face> actual = d.detect(view);
                    assertEquals(expected.size(), actual.size());
                    for (int i = 0; i < expected.size(); i++) {
                        float[] e = expected.get(i).kps();
                        float[] a = actual.get(i).kps();
                        for (int k = 0; k < 10; k++) {
                            assertEquals(e[k], a[k], 0.01f);
                        }
                        assertEquals(expected.get(i).score(), actual.get(i).score(), 1e-3f);
                    }
                }
            }
        }
    }

    @Test
    void thresholdsAndInputSizeAreConfigurable() {
        try (ScrfdDetector strict = ScrfdDetector.open(SharedData.model("scrfd_2.5g_bnkps.onnx"), OrtConfig.cpu(),
                DetectorSettings.defaults().withScoreThreshold(0.99f));
             ScrfdDetector small = ScrfdDetector.open(SharedData.model("scrfd_500m_bnkps.onnx"), OrtConfig.cpu(),
                DetectorSettings.defaults().withInputSize(320))) {
            assertTrue(detect(strict, "t1.jpg").size() < 6);
            assertEquals(320, small.inputSize());
            assertEquals(1, detect(small, "obama.jpg").size());
        }
    }

    @Test
    void rejectsSizesThatAreNotMultiplesOf32AndModelsThatAreNotScrfd() {
        UserFacingException size = assertThrows(UserFacingException.class, () -> ScrfdDetector.open(
                SharedData.model("scrfd_500m_bnkps.onnx"), OrtConfig.cpu(), DetectorSettings.defaults().withInputSize(500)));
        assertTrue(size.getMessage().contains("multiple of 32"), size.getMessage());
        UserFacingException notScrfd = assertThrows(UserFacingException.class, () -> ScrfdDetector.open(
                SharedData.model("mobilefacenet.onnx"), OrtConfig.cpu(), DetectorSettings.defaults()));
        assertTrue(notScrfd.getMessage().contains("not an SCRFD face detector")
                || notScrfd.getMessage().contains("pass an SCRFD"), notScrfd.getMessage());
    }

    private static List<Face> detect(ScrfdDetector d, String photo) {
        try (Mat image = ImageLoader.load(SharedData.photo(photo))) {
            return d.detect(image);
        }
    }

    private static Face single(List<Face> faces) {
        assertEquals(1, faces.size(), faces.toString());
        return faces.get(0);
    }
}
