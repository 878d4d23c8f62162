package app.deeplive.engine.blend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** Reused headers over regions (RegionView) and over working memory (ScratchImage). */
class RegionViewTest {
    @Test
    void aViewIsTheRegionOfTheImageAndWritesThrough() {
        try (Mat image = BlendTestImages.pattern(300, 200, 4); RegionView view = new RegionView();
                Rect rect = new Rect(40, 30, 100, 50); Mat expected = new Mat(image, rect)) {
            Mat region = view.of(image, new FaceRegion(40, 30, 100, 50));
            assertEquals(50, region.rows());
            assertEquals(100, region.cols());
            assertEquals(0, BlendTestImages.maxDifference(expected, region));
            // A view of a view lands in the same place of the image.
            try (RegionView inner = new RegionView(); Rect innerRect = new Rect(50, 40, 10, 5);
                    Mat expectedInner = new Mat(image, innerRect); Scalar white = new Scalar(255, 255, 255, 255)) {
                inner.of(region, 10, 10, 10, 5).put(white);
                try (Scalar sum = opencv_core.sumElems(expectedInner)) {
                    assertEquals(5 * 10 * 255.0, sum.get(0), "the inner view's 50 pixels, written");
                }
            }
            assertSame(region, view.of(image, 0, 0, 300, 200), "the same header, re-pointed");
        }
    }

    @Test
    void aRegionOutsideTheImageIsRefused() {
        try (Mat image = new Mat(20, 30, opencv_core.CV_8UC1); RegionView view = new RegionView()) {
            assertThrows(IllegalArgumentException.class, () -> view.of(image, 25, 0, 10, 5));
            assertThrows(IllegalArgumentException.class, () -> view.of(image, 0, 0, 0, 5));
        }
    }

    @Test
    void aScratchImageServesAnySizeAndTypeWithinItsMemoryWithoutGrowing() {
        try (ScratchImage scratch = new ScratchImage()) {
            Mat big = scratch.get(100, 120, opencv_core.CV_8UC4);
            long held = scratch.capacity();
            for (int[] ask : new int[][] {{100, 120, opencv_core.CV_8UC3}, {7, 120, opencv_core.CV_8UC1},
                {100, 3, opencv_core.CV_32FC1}, {100, 120, opencv_core.CV_8UC4}}) {
                Mat m = scratch.get(ask[0], ask[1], ask[2]);
                assertSame(big, m, "one reused header");
                assertEquals(ask[0], m.rows());
                assertEquals(ask[1], m.cols());
                assertEquals(ask[2], m.type());
                assertEquals(held, scratch.capacity(), "no new memory");
            }
            Mat larger = scratch.get(130, 120, opencv_core.CV_8UC4);
            assertEquals(130, larger.rows());
            assertTrue(scratch.capacity() >= 130L * 120 * 4);
        }
    }
}
