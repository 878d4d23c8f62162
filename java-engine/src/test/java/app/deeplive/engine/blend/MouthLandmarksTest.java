package app.deeplive.engine.blend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.deeplive.engine.analysis.BoundingBox;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.testing.SyntheticModels;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** The 2d106det contract on the synthetic model, whose landmarks are a fixed layout in [-1, 1]. */
class MouthLandmarksTest {
    @Test
    void landmarksMapFromTheModelsCropBackToTheFrame() {
        try (MouthLandmarks model = MouthLandmarks.open(SyntheticModels.landmarks106(), OrtConfig.cpu());
                Mat frame = new Mat(600, 800, opencv_core.CV_8UC3, new Scalar(128, 128, 128, 0))) {
            BoundingBox box = new BoundingBox(300, 200, 420, 360); // 120×160: scale = 192 / (1.5·160) = 0.8
            float[] points = model.detect(frame, box);
            assertEquals(212, points.length);
            double scale = 192 / (1.5 * 160);
            // Point 52 of the synthetic layout is (MOUTH_RX, MOUTH_CY) in [-1, 1]: crop (v + 1)·96, then frame.
            double cropX = (SyntheticModels.MOUTH_RX + 1) * 96;
            double cropY = (SyntheticModels.MOUTH_CY + 1) * 96;
            assertEquals(box.centreX() + (cropX - 96) / scale, points[2 * 52], 0.01);
            assertEquals(box.centreY() + (cropY - 96) / scale, points[2 * 52 + 1], 0.01);
        }
    }
}
