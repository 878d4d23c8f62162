package app.deeplive.engine.analysis.align;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2BGRA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

class FaceAlignerTest {
    /** Frame keypoints of a face turned 30°, three times the ArcFace template's size, inside a 640×480 frame. */
    private static final SimilarityTransform TEMPLATE_TO_FRAME = SimilarityTransform.of(3, Math.toRadians(30), 300, 40);

    @Test
    void keypointsLandWhereTheTemplateSays() {
        for (FaceTemplate template : new FaceTemplate[] {FaceTemplate.ARCFACE_112, FaceTemplate.INSWAPPER_128,
            FaceTemplate.ffhq(256)}) {
            SimilarityTransform toFrame = SimilarityTransform.of(336.0 / template.size(), Math.toRadians(30), 300, 40);
            float[] frameKps = toFrame.applyAll(template.points());
            try (Mat frame = frameWithDotsAt(frameKps); AlignedCrop crop = FaceAligner.crop(frame, frameKps, template)) {
                assertEquals(template.size(), crop.image().cols());
                assertEquals(template.size(), crop.image().rows());
                assertEquals(CV_8UC3, crop.image().type());
                float[] expected = template.points();
                for (int i = 0; i < 5; i++) {
                    double[] c = brightCentroid(crop.image(), expected[2 * i], expected[2 * i + 1], 6);
                    assertEquals(expected[2 * i], c[0], 0.5, template + " point " + i + " x");
                    assertEquals(expected[2 * i + 1], c[1], 0.5, template + " point " + i + " y");
                }
            }
        }
    }

    @Test
    void reportsTheTransformFromFrameToCrop() {
        float[] frameKps = TEMPLATE_TO_FRAME.applyAll(FaceTemplate.ARCFACE_112.points());
        try (Mat frame = frameWithDotsAt(frameKps);
             AlignedCrop crop = FaceAligner.crop(frame, frameKps, FaceTemplate.ARCFACE_112)) {
            double[] expected = TEMPLATE_TO_FRAME.inverse().matrix();
            double[] actual = crop.frameToCrop().matrix();
            for (int i = 0; i < 6; i++) {
                assertEquals(expected[i], actual[i], 1e-4);
            }
        }
    }

    @Test
    void bgraFrameGivesTheSameBgrCrop() {
        float[] frameKps = TEMPLATE_TO_FRAME.applyAll(FaceTemplate.INSWAPPER_128.points());
        try (Mat bgr = frameWithDotsAt(frameKps); Mat bgra = new Mat()) {
            cvtColor(bgr, bgra, COLOR_BGR2BGRA);
            assertEquals(CV_8UC4, bgra.type());
            try (AlignedCrop a = FaceAligner.crop(bgr, frameKps, FaceTemplate.INSWAPPER_128);
                 AlignedCrop b = FaceAligner.crop(bgra, frameKps, FaceTemplate.INSWAPPER_128);
                 Mat diff = new Mat()) {
                assertEquals(CV_8UC3, b.image().type());
                opencv_core.absdiff(a.image(), b.image(), diff);
                assertEquals(0, countNonZero(diff.reshape(1, 0)));
            }
        }
    }

    /** A black BGR frame with a small grey-to-white dot (a 2-D tent) centred on each point. */
    private static Mat frameWithDotsAt(float[] xy) {
        Mat frame = new Mat(480, 640, CV_8UC3, new Scalar(0.0));
        try (UByteIndexer idx = frame.createIndexer()) {
            for (int p = 0; p < xy.length; p += 2) {
                for (int y = (int) xy[p + 1] - 8; y <= (int) xy[p + 1] + 8; y++) {
                    for (int x = (int) xy[p] - 8; x <= (int) xy[p] + 8; x++) {
                        double w = Math.max(0, 1 - Math.abs(x - xy[p]) / 7) * Math.max(0, 1 - Math.abs(y - xy[p + 1]) / 7);
                        for (int ch = 0; ch < 3; ch++) {
                            idx.put(y, x, ch, (int) Math.round(255 * w));
                        }
                    }
                }
            }
        }
        return frame;
    }

    /** Intensity-weighted centroid of the crop's pixels within {@code r} of (cx, cy). */
    private static double[] brightCentroid(Mat crop, double cx, double cy, int r) {
        double sum = 0, sx = 0, sy = 0;
        try (UByteIndexer idx = crop.createIndexer()) {
            for (int y = (int) cy - r; y <= (int) cy + r; y++) {
                for (int x = (int) cx - r; x <= (int) cx + r; x++) {
                    double v = idx.get(y, x, 0);
                    sum += v;
                    sx += v * x;
                    sy += v * y;
                }
            }
        }
        assertTrue(sum > 0, "no dot near (" + cx + ", " + cy + ")");
        return new double[] {sx / sum, sy / sum};
    }
}
