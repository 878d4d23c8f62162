package app.deeplive.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

class FrameViewTest {
    @Test
    void theMatWritesThroughToTheSameMemoryHonouringTheStride() {
        int width = 4, height = 3, stride = 20; // 16 bytes of pixels + 4 bytes padding per row
        ByteBuffer memory = ByteBuffer.allocateDirect(stride * height);
        try (FrameView frame = FrameView.wrap(memory, width, height, stride, PixelFormat.BGRA)) {
            Mat mat = frame.mat();
            mat.put(new Scalar(1, 2, 3, 4));
            assertEquals(1, memory.get(0));
            assertEquals(4, memory.get(15));
            assertEquals(0, memory.get(16), "row padding is not part of the image");
            assertEquals(1, memory.get(stride));
        }
    }

    @Test
    void formatsMatchOpenCvTypeCodes() {
        assertEquals(org.bytedeco.opencv.global.opencv_core.CV_8UC3, PixelFormat.BGR.cvType());
        assertEquals(org.bytedeco.opencv.global.opencv_core.CV_8UC4, PixelFormat.BGRA.cvType());
    }

    @Test
    void aBufferTooSmallForTheGeometryIsRefused() {
        ByteBuffer memory = ByteBuffer.allocateDirect(100);
        assertThrows(IllegalArgumentException.class, () -> FrameView.wrap(memory, 10, 10, 40, PixelFormat.BGRA));
        assertThrows(IllegalArgumentException.class, () -> FrameView.wrap(memory, 10, 1, 20, PixelFormat.BGRA));
        assertThrows(IllegalArgumentException.class, () -> FrameView.wrap(ByteBuffer.allocate(100), 1, 1, 4, PixelFormat.BGRA));
    }

    @Test
    void viewsAnOpenCvImageWithoutCopying() {
        try (Mat image = new Mat(2, 2, PixelFormat.BGR.cvType(), new Scalar(9, 8, 7, 0));
             FrameView frame = FrameView.of(image)) {
            assertEquals(PixelFormat.BGR, frame.format());
            frame.pixels().put(0, (byte) 42);
            assertEquals(42, image.ptr(0, 0).get());
        }
    }
}
