package app.deeplive.engine.blend;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.testing.SyntheticModels;
import app.deeplive.engine.testing.TestImages;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/**
 * The occlusion mask of an aligned crop, with the synthetic XSeg-shaped occluder (face where a pixel is redder than
 * blue, not face where it is clearly blue): the left half of the crop is skin, the right half a blue object.
 */
class FaceOccluderTest {
    private static final int SIDE = 200;

    private static Mat halfSkinHalfBlue() {
        Mat crop = new Mat(SIDE, SIDE, CV_8UC3, new Scalar(90, 120, 200, 0)); // BGR skin: red above blue
        try (Rect right = new Rect(SIDE / 2, 0, SIDE / 2, SIDE); Mat half = new Mat(crop, right)) {
            half.put(new Scalar(255, 0, 0, 0)); // pure blue: in front of the face
        }
        return crop;
    }

    @Test
    void theFaceIsKeptAndWhatCoversItIsCutOutWithAFeatheredEdge() {
        try (FaceOccluder occluder = FaceOccluder.open(SyntheticModels.occluder(), OrtConfig.cpu());
             Mat crop = halfSkinHalfBlue(); Mat mask = new Mat()) {
            occluder.mask(crop, mask);
            assertEquals(SIDE, mask.cols());
            assertEquals(SIDE, mask.rows());
            assertEquals(CV_8U, mask.type());
            UByteIndexer m = mask.createIndexer();
            int margin = (int) Math.ceil(3 * FaceOccluder.BLUR_SIGMA) + 2; // where the blur cannot reach across
            for (int y = 0; y < SIDE; y += 7) {
                for (int x = 0; x < SIDE / 2 - margin; x++) {
                    assertEquals(255, m.get(y, x), "face at " + x + "," + y);
                }
                for (int x = SIDE / 2 + margin; x < SIDE; x++) {
                    assertEquals(0, m.get(y, x), "occluder at " + x + "," + y);
                }
                // The cut is soft: at the boundary the mask passes through values between the two.
                int edge = m.get(y, SIDE / 2 - 1);
                assertTrue(edge > 0 && edge < 255, "edge value " + edge + " at row " + y);
            }
        }
    }

    @Test
    void aBgraCropGivesTheSameMask() {
        try (FaceOccluder occluder = FaceOccluder.open(SyntheticModels.occluder(), OrtConfig.cpu());
             Mat crop = halfSkinHalfBlue(); Mat bgra = new Mat(); Mat fromBgr = new Mat(); Mat fromBgra = new Mat()) {
            opencv_imgproc.cvtColor(crop, bgra, opencv_imgproc.COLOR_BGR2BGRA);
            occluder.mask(crop, fromBgr);
            occluder.mask(bgra, fromBgra);
            assertArrayEquals(TestImages.bytes(fromBgr), TestImages.bytes(fromBgra));
        }
    }

    @Test
    void aModelOfAnotherKindIsRefusedWithTheFix() {
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> FaceOccluder.open(SyntheticModels.gpen256(), OrtConfig.cpu()));
        assertTrue(e.getMessage().contains("is not an XSeg occlusion model"), e.getMessage());
        assertTrue(e.getMessage().endsWith("pass FaceFusion's xseg_1, xseg_2 or xseg_3 .onnx"), e.getMessage());
    }
}
