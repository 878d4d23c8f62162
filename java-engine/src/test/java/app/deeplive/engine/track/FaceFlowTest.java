package app.deeplive.engine.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.analysis.BoundingBox;
import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.image.ImageLoader;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.testing.SharedData;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Optical flow on a real face: a known motion of the photo is measured back from its pixels. */
class FaceFlowTest {
    static Mat photo;
    static Face face;

    @BeforeAll
    static void load() {
        photo = ImageLoader.load(SharedData.photo("obama.jpg"));
        try (ScrfdDetector detector = ScrfdDetector.open(SharedData.model("scrfd_500m_bnkps.onnx"), OrtConfig.cpu(),
                DetectorSettings.defaults())) {
            face = detector.detect(photo).get(0);
        }
    }

    @AfterAll
    static void free() {
        photo.close();
    }

    /** The photo moved by {@code t} (what a camera would see after the head moved so). */
    static Mat moved(SimilarityTransform t) {
        Mat out = new Mat();
        try (Mat m = t.toMat(); Size size = new Size(photo.cols(), photo.rows())) {
            opencv_imgproc.warpAffine(photo, out, m, size, opencv_imgproc.INTER_LINEAR, 0, new Scalar());
        }
        return out;
    }

    /** Keypoints shifted {@code dx} to the right. */
    static float[] moved(Face f, double dx) {
        return SimilarityTransform.of(1, 0, dx, 0).applyAll(f.kps());
    }

    @Test
    void aShiftedScaledAndRolledFaceIsMeasuredToASubPixel() {
        float cx = face.box().centreX(), cy = face.box().centreY();
        // 6.3 px right, 4.1 px up, 3 % larger, 2° roll, about the face's centre.
        SimilarityTransform about = SimilarityTransform.of(1.03, Math.toRadians(2), 0, 0);
        double[] c = about.apply(cx, cy);
        SimilarityTransform motion = SimilarityTransform.of(1.03, Math.toRadians(2), cx - c[0] + 6.3, cy - c[1] - 4.1);
        try (FaceFlow flow = new FaceFlow(); Mat next = moved(motion);
                FrameView before = FrameView.of(photo); FrameView after = FrameView.of(next)) {
            assertTrue(flow.seed(before, face.box()));
            FaceMotion measured = flow.follow(after);
            assertFalse(measured.lost());
            assertTrue(measured.confidence() > 0.6, "confidence " + measured.confidence());
            float[] expected = motion.applyAll(face.kps());
            float[] got = measured.transform().applyAll(face.kps());
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], got[i], 0.5, "keypoint coordinate " + i);
            }
            assertEquals(Math.hypot(6.3, 4.1) / face.box().width(), measured.speed(), 0.01);
        }
    }

    @Test
    void aFaceThatDoesNotMoveIsMeasuredStill() {
        try (FaceFlow flow = new FaceFlow(); FrameView frame = FrameView.of(photo)) {
            flow.seed(frame, face.box());
            FaceMotion measured = flow.follow(frame);
            assertTrue(measured.confidence() > 0.9);
            float[] got = measured.transform().applyAll(face.kps());
            for (int i = 0; i < got.length; i++) {
                assertEquals(face.kps()[i], got[i], 0.05);
            }
        }
    }

    @Test
    void aFaceReplacedByAFlatWallIsLost() {
        try (FaceFlow flow = new FaceFlow(); Mat wall = new Mat(photo.rows(), photo.cols(), photo.type(), new Scalar(90, 90, 90, 0));
                FrameView before = FrameView.of(photo); FrameView after = FrameView.of(wall)) {
            flow.seed(before, face.box());
            assertTrue(flow.follow(after).lost(), "nothing to follow on a flat wall");
        }
    }

    @Test
    void followingNeedsAFreshSeedEachFrameAndABoxInsideTheFrame() {
        try (FaceFlow flow = new FaceFlow(); FrameView frame = FrameView.of(photo)) {
            assertTrue(flow.follow(frame).lost(), "never seeded");
            flow.seed(frame, face.box());
            assertFalse(flow.follow(frame).lost());
            assertTrue(flow.follow(frame).lost(), "the patch describes the frame before last");
            BoundingBox outside = new BoundingBox(-500, -500, -300, -300);
            assertFalse(flow.seed(frame, outside));
            assertTrue(flow.follow(frame).lost());
        }
    }
}
