package app.deeplive.engine.onnx;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.FloatBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

class PlanarImageInputTest {
    @Test
    void writesPlanarRgbNormalisedIntoTheTensorBuffer() throws Exception {
        try (PlanarImageInput input = new PlanarImageInput(4, 2);
             Mat bgr = new Mat(2, 4, CV_8UC3, new Scalar(0, 128, 255, 0));
             Mat bgra = new Mat(2, 4, CV_8UC4, new Scalar(255, 0, 128, 7))) {
            assertArrayEquals(new long[] {1, 3, 2, 4}, input.tensor().getInfo().getShape());
            input.fill(bgr, 127.5, 127.5);
            FloatBuffer b = input.buffer();
            assertEquals(1f, b.get(0), 1e-6); // R plane
            assertEquals(0.5f / 127.5f, b.get(8), 1e-6); // G plane
            assertEquals(-1f, b.get(16), 1e-6); // B plane
            input.fill(bgra, 0, 255);
            assertEquals(128 / 255f, b.get(7), 1e-6);
            assertEquals(0f, b.get(15), 1e-6);
            assertEquals(1f, b.get(23), 1e-6);
            // The tensor wraps the same memory, so ONNX Runtime sees what fill() wrote.
            assertEquals(1f, input.tensor().getFloatBuffer().get(23), 1e-6);
        }
    }

    @Test
    void aSmallerImageGoesTopLeftWithBlackPaddingAroundIt() {
        try (PlanarImageInput input = new PlanarImageInput(4, 3);
             Mat wide = new Mat(2, 4, CV_8UC3, new Scalar(255, 255, 255, 0));
             Mat narrow = new Mat(3, 1, CV_8UC3, new Scalar(255, 255, 255, 0))) {
            input.fillTopLeft(wide, 127.5, 128);
            FloatBuffer b = input.buffer();
            float white = (255 - 127.5f) / 128;
            float black = -127.5f / 128;
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 12; i++) {
                    assertEquals(i < 8 ? white : black, b.get(12 * c + i), 1e-6, "plane " + c + " index " + i);
                }
            }
            input.fillTopLeft(narrow, 127.5, 128); // the region changed: the old pixels must not linger
            for (int i = 0; i < 12; i++) {
                assertEquals(i % 4 == 0 ? white : black, b.get(12 + i), 1e-6, "G index " + i);
            }
        }
    }

    @Test
    void rejectsImagesOfAnotherSize() {
        try (PlanarImageInput input = new PlanarImageInput(4, 2); Mat wrong = new Mat(4, 4, CV_8UC3)) {
            assertThrows(IllegalArgumentException.class, () -> input.fill(wrong, 0, 1));
        }
    }
}
