package app.deeplive.engine.onnx;

import static app.deeplive.engine.testing.TestImages.bytes;
import static app.deeplive.engine.testing.TestImages.noise;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import app.deeplive.engine.swap.Float16;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ImageTensorsTest {
    private static final Normalisation HALF_RANGE = new Normalisation(127.5, 127.5);

    @Test
    void writesPlanarRgbNormalisedIntoTheTensorBuffer() throws Exception {
        try (ImageTensors input = new ImageTensors(4, 2, OnnxJavaType.FLOAT, HALF_RANGE, 1);
             Mat bgr = new Mat(2, 4, CV_8UC3, new Scalar(0, 128, 255, 0))) {
            assertArrayEquals(new long[] {1, 3, 2, 4}, input.pinnedInput(1).getInfo().getShape());
            input.put(0, bgr);
            FloatBuffer b = input.inputFloats();
            assertEquals(1f, b.get(0), 1e-6); // R plane
            assertEquals(0.5f / 127.5f, b.get(8), 1e-6); // G plane
            assertEquals(-1f, b.get(16), 1e-6); // B plane
            // The tensor wraps the same memory, so ONNX Runtime sees what put() wrote.
            assertEquals(-1f, input.pinnedInput(1).getFloatBuffer().get(23), 1e-6);
        }
    }

    @Test
    void takesBgraAndDropsItsAlpha() {
        try (ImageTensors input = new ImageTensors(4, 2, OnnxJavaType.FLOAT, Normalisation.INSWAPPER, 1);
             Mat bgra = new Mat(2, 4, CV_8UC4, new Scalar(255, 0, 128, 7))) {
            input.put(0, bgra);
            FloatBuffer b = input.inputFloats();
            assertEquals(128 / 255f, b.get(7), 1e-6);
            assertEquals(0f, b.get(15), 1e-6);
            assertEquals(1f, b.get(23), 1e-6);
        }
    }

    @Test
    void interleavedBgrKeepsEachPixelsChannelsTogetherInBgrOrder() throws Exception {
        try (ImageTensors input = ImageTensors.interleavedBgr(2, Normalisation.XSEG);
             Mat bgr = new Mat(2, 2, CV_8UC3, new Scalar(0, 51, 255, 0));
             Mat bgra = new Mat(2, 2, CV_8UC4, new Scalar(255, 102, 0, 9))) {
            assertArrayEquals(new long[] {1, 2, 2, 3}, input.pinnedInput(1).getInfo().getShape());
            input.put(0, bgr);
            float[] values = new float[12];
            input.inputFloats().get(values);
            for (int pixel = 0; pixel < 4; pixel++) {
                assertEquals(0f, values[pixel * 3], 1e-6, "B");
                assertEquals(0.2f, values[pixel * 3 + 1], 1e-6, "G");
                assertEquals(1f, values[pixel * 3 + 2], 1e-6, "R");
            }
            input.put(0, bgra); // the alpha is dropped, the order kept
            input.inputFloats().get(values);
            assertEquals(1f, values[9], 1e-6);
            assertEquals(0.4f, values[10], 1e-6);
            assertEquals(0f, values[11], 1e-6);
            assertEquals(0.4f, input.pinnedInput(1).getFloatBuffer().get(10), 1e-6, "the tensor wraps the same memory");
            assertThrows(IllegalStateException.class, () -> input.pinnedOutput(OnnxJavaType.FLOAT, 1),
                    "an occluder answers with a mask, not an image");
        }
    }

    @Test
    void eachImageOfABatchHasItsOwnThirdOfPlanes() throws Exception {
        try (ImageTensors input = ImageTensors.square(2, OnnxJavaType.FLOAT, Normalisation.LANDMARKS, 3);
             Mat first = new Mat(2, 2, CV_8UC3, new Scalar(1, 2, 3, 0));
             Mat third = new Mat(2, 2, CV_8UC3, new Scalar(7, 8, 9, 0))) {
            input.put(0, first);
            input.put(2, third);
            FloatBuffer b = input.inputFloats();
            assertEquals(3f, b.get(0)); // image 0, R
            assertEquals(1f, b.get(8)); // image 0, B
            assertEquals(9f, b.get(24)); // image 2, R
            assertEquals(7f, b.get(32)); // image 2, B
            assertArrayEquals(new long[] {2, 3, 2, 2}, input.pinnedInput(2).getInfo().getShape());
        }
    }

    @Test
    void float16InputsHoldTheHalfOfEachValue() {
        try (ImageTensors input = ImageTensors.square(2, OnnxJavaType.FLOAT16, Normalisation.INSWAPPER, 1);
             Mat bgr = new Mat(2, 2, CV_8UC3, new Scalar(0, 51, 255, 0))) {
            input.put(0, bgr);
            ShortBuffer h = input.inputHalves();
            assertEquals(1f, Float16.toFloat(h.get(0)), 1e-3); // R
            assertEquals(0.2f, Float16.toFloat(h.get(4)), 1e-3); // G
            assertEquals(0f, Float16.toFloat(h.get(8)), 1e-3); // B
        }
    }

    @ParameterizedTest
    @EnumSource(value = OnnxJavaType.class, names = {"FLOAT", "FLOAT16"})
    void aSmallerImageGoesTopLeftWithBlackPaddingAroundIt(OnnxJavaType type) {
        Normalisation scrfd = Normalisation.SCRFD;
        try (ImageTensors input = new ImageTensors(4, 3, type, scrfd, 1);
             Mat wide = new Mat(2, 4, CV_8UC3, new Scalar(255, 255, 255, 0));
             Mat narrow = new Mat(3, 1, CV_8UC3, new Scalar(255, 255, 255, 0))) {
            input.putTopLeft(0, wide);
            float white = (255 - 127.5f) / 128;
            float black = -127.5f / 128;
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 12; i++) {
                    assertEquals(i < 8 ? white : black, inputValue(input, type, 12 * c + i), 2e-3,
                            "plane " + c + " index " + i);
                }
            }
            input.putTopLeft(0, narrow); // the region changed: the old pixels must not linger
            for (int i = 0; i < 12; i++) {
                assertEquals(i % 4 == 0 ? white : black, inputValue(input, type, 12 + i), 2e-3, "G index " + i);
            }
        }
    }

    private static float inputValue(ImageTensors input, OnnxJavaType type, int at) {
        return type == OnnxJavaType.FLOAT16 ? Float16.toFloat(input.inputHalves().get(at)) : input.inputFloats().get(at);
    }

    @Test
    void rejectsImagesOfAnotherSizeAndIndexesOutsideTheBatch() {
        try (ImageTensors input = new ImageTensors(4, 2, OnnxJavaType.FLOAT, HALF_RANGE, 1);
             Mat wrong = new Mat(4, 4, CV_8UC3); Mat right = new Mat(2, 4, CV_8UC3)) {
            assertThrows(IllegalArgumentException.class, () -> input.put(0, wrong));
            assertThrows(IndexOutOfBoundsException.class, () -> input.put(1, right));
            assertThrows(IllegalArgumentException.class, () -> input.pinnedInput(2));
        }
    }

    /** What a model that returns its input gives back: the same image, for every pixel value and both precisions. */
    @Test
    void anImageGoesInAndComesBackTheSameThroughAPinnedOutput() throws Exception {
        for (OnnxJavaType type : new OnnxJavaType[] {OnnxJavaType.FLOAT, OnnxJavaType.FLOAT16}) {
            for (Normalisation n : new Normalisation[] {Normalisation.INSWAPPER, Normalisation.GFPGAN_GPEN}) {
                try (ImageTensors tensors = ImageTensors.square(16, type, n, 2);
                     Mat image = noise(16, 5); Mat back = new Mat()) {
                    image.data().put(0, (byte) 0).put(1, (byte) 255); // both ends of the range
                    tensors.put(1, image);
                    OnnxTensor out = tensors.pinnedOutput(type, 2);
                    copy(tensors.pinnedInput(2), out, type); // an identity model, run by hand
                    tensors.pinnedImage(1, back);
                    assertArrayEquals(bytes(image), bytes(back), type + " " + n);
                }
            }
        }
    }

    @Test
    void valuesOutsideThePixelRangeAreClipped() throws Exception {
        try (ImageTensors tensors = ImageTensors.square(1, OnnxJavaType.FLOAT, Normalisation.GFPGAN_GPEN, 1)) {
            OnnxTensor out = tensors.pinnedOutput(OnnxJavaType.FLOAT, 1);
            // What a model might write into the pinned output: the R, G and B planes of one pixel.
            ((FloatBuffer) out.getBufferRef().orElseThrow()).put(0, 3f).put(1, -7f).put(2, Float.NaN);
            try (Mat pixel = tensors.pinnedImage(0); UByteIndexer px = pixel.createIndexer()) {
                assertEquals(0, px.get(0, 0, 0)); // B ← NaN
                assertEquals(0, px.get(0, 0, 1)); // G ← −7
                assertEquals(255, px.get(0, 0, 2)); // R ← 3
            }
        }
    }

    private static void copy(OnnxTensor from, OnnxTensor to, OnnxJavaType type) {
        if (type == OnnxJavaType.FLOAT) {
            FloatBuffer dst = (FloatBuffer) to.getBufferRef().orElseThrow();
            dst.duplicate().put(((FloatBuffer) from.getBufferRef().orElseThrow()).duplicate());
        } else {
            ShortBuffer dst = (ShortBuffer) to.getBufferRef().orElseThrow();
            dst.duplicate().put(((ShortBuffer) from.getBufferRef().orElseThrow()).duplicate());
        }
    }
}
