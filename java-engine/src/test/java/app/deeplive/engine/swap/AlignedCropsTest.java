package app.deeplive.engine.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import app.deeplive.engine.analysis.align.FaceAligner;
import app.deeplive.engine.analysis.align.SimilarityTransform;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** The swap step's kept crops: the same pixels as FaceAligner.warp (FaceSwapper.crop), in images reused from frame to frame. */
class AlignedCropsTest {
    private static final SimilarityTransform FRAME_TO_CROP = SimilarityTransform.of(2.3, 0.3, 400, 250).inverse();

    @Test
    void aCropFromABgrOrBgraFrameIsExactlyInSwappersCrop() {
        try (Mat bgr = InSwapperTest.gradientFrame(900, 700); Mat bgra = new Mat();
                AlignedCrops crops = new AlignedCrops(128)) {
            opencv_imgproc.cvtColor(bgr, bgra, opencv_imgproc.COLOR_BGR2BGRA);
            for (Mat frame : new Mat[] {bgr, bgra}) {
                try (Mat expected = FaceAligner.warp(frame, FRAME_TO_CROP, 128)) {
                    Mat crop = crops.cut(0, frame, FRAME_TO_CROP);
                    assertEquals(SwapperFamily.INSWAPPER.size(), crop.rows());
                    assertEquals(SwapperFamily.INSWAPPER.size(), crop.cols());
                    assertEquals(expected.type(), crop.type());
                    assertEquals(0, InSwapperTest.maxDifference(expected, crop), frame.channels() + " channels");
                }
            }
        }
    }

    @Test
    void eachFaceSlotKeepsItsImageFromFrameToFrame() {
        SimilarityTransform other = SimilarityTransform.of(1.7, -0.2, 300, 200).inverse();
        try (Mat frame = InSwapperTest.gradientFrame(900, 700); AlignedCrops crops = new AlignedCrops(128);
                Mat expected0 = FaceAligner.warp(frame, FRAME_TO_CROP, 128); Mat expected1 = FaceAligner.warp(frame, other, 128)) {
            Mat first = crops.cut(0, frame, FRAME_TO_CROP);
            Mat second = crops.cut(1, frame, other);
            assertSame(first, crops.cut(0, frame, FRAME_TO_CROP), "slot 0 on the next frame");
            assertSame(second, crops.cut(1, frame, other), "slot 1 on the next frame");
            assertEquals(0, InSwapperTest.maxDifference(expected0, first), "slot 1 left slot 0 alone");
            assertEquals(0, InSwapperTest.maxDifference(expected1, second));
        }
    }
}
