package app.deeplive.engine.blend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** The mask blur's kept kernels: OpenCV's own, one per face size, kept while fewer than CAPACITY sizes come between. */
class GaussianKernelsTest {
    @Test
    void aKernelIsOpenCvsAndIsKeptForItsSize() {
        try (GaussianKernels kernels = new GaussianKernels();
                Mat expected = opencv_imgproc.getGaussianKernel(11, 1.9, opencv_core.CV_32F)) {
            Mat kernel = kernels.get(5, 1.9);
            assertEquals(0.0, opencv_core.norm(expected, kernel), "bit for bit");
            for (int faces = 1; faces < GaussianKernels.CAPACITY; faces++) {
                kernels.get(5 + faces, 1.9 + faces);
            }
            assertSame(kernel, kernels.get(5, 1.9), "kept while the other faces' sizes fit");
            assertNotSame(kernels.get(5, 1.9), kernels.get(5, 2.0), "another sigma is another kernel");
        }
    }
}
