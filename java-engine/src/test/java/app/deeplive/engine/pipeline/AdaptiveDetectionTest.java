package app.deeplive.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.analysis.BoundingBox;
import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.image.ImageLoader;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.swap.Identity;
import app.deeplive.engine.swap.FaceSwapper;
import app.deeplive.engine.testing.SharedData;
import app.deeplive.engine.testing.SyntheticModels;
import app.deeplive.engine.track.DetectionRound;
import app.deeplive.engine.track.Track;
import app.deeplive.engine.track.TrackerSettings;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Detection every k-th frame is a ceiling, not a rhythm: between detections the faces are followed by optical flow,
 * and the detector is asked at once when a face moves fast or the flow loses it.
 */
class AdaptiveDetectionTest {
    static SwapModels models;
    static Mat photo;
    static final SwapSettings EVERY_10TH = SwapSettings.of(new Identity(FaceSwapPipelineTest.embedding(1)))
            .withDetectEveryK(10);

    @BeforeAll
    static void load() {
        OrtConfig cpu = OrtConfig.cpu();
        models = new SwapModels(ScrfdDetector.open(SharedData.model("scrfd_500m_bnkps.onnx"), cpu,
                DetectorSettings.defaults().withInputSize(320)), FaceSwapper.open(SyntheticModels.inswapper(), cpu),
                null, null, Map.of());
        photo = ImageLoader.load(SharedData.photo("obama.jpg"));
    }

    @AfterAll
    static void free() {
        models.close();
        photo.close();
    }

    private static Mat shifted(double dx) {
        Mat out = new Mat();
        try (Mat m = SimilarityTransform.of(1, 0, dx, 0).toMat(); Size size = new Size(photo.cols(), photo.rows())) {
            opencv_imgproc.warpAffine(photo, out, m, size, opencv_imgproc.INTER_LINEAR, 0, new Scalar());
        }
        return out;
    }

    /** Whether the detector ran for this frame. */
    private static boolean detected(FaceSwapPipeline pipeline, Mat image, int frame) {
        try (Mat copy = image.clone(); FrameView view = FrameView.of(copy)) {
            return pipeline.process(view, EVERY_10TH, frame * 33_333_333L).detectNanos() > 0;
        }
    }

    @Test
    void aStillFaceIsDetectedOnceAndFollowedUntilTheKthFrame() {
        try (FaceSwapPipeline pipeline = new FaceSwapPipeline(models)) {
            int detections = 0;
            for (int i = 0; i < 12; i++) {
                detections += detected(pipeline, photo, i) ? 1 : 0;
            }
            assertEquals(2, detections, "frames 0 and 10");
        }
    }

    @Test
    void aFastMoveOrALostFaceBringsTheDetectorInAtOnce() {
        try (FaceSwapPipeline pipeline = new FaceSwapPipeline(models);
                Mat jumped = shifted(0.3 * 250); // about a third of the face's width in one frame
                Mat wall = new Mat(photo.rows(), photo.cols(), photo.type(), new Scalar(90, 90, 90, 0))) {
            assertTrue(detected(pipeline, photo, 0), "nothing to follow yet");
            assertTrue(!detected(pipeline, photo, 1), "followed");
            assertTrue(detected(pipeline, jumped, 2), "moved fast: detected again at once");
            assertTrue(!detected(pipeline, jumped, 3), "followed again");
            assertTrue(detected(pipeline, wall, 4), "the flow lost the face: detected at once");
        }
    }

    /** Detection where a frame waits for it; later rounds are handed in by the test. */
    static final class ScriptedRounds implements FaceDetections {
        final InlineDetections inline = new InlineDetections(models.detector());
        final java.util.ArrayDeque<DetectionRound> late = new java.util.ArrayDeque<>();
        int detectedNow;

        @Override
        public boolean request(FrameView frame, long frameNumber) {
            return true; // accepted; the round comes when the test says
        }

        @Override
        public DetectionRound detectNow(FrameView frame, long frameNumber) {
            detectedNow++;
            return inline.detectNow(frame, frameNumber);
        }

        @Override
        public boolean immediate() {
            return false;
        }

        @Override
        public DetectionRound poll() {
            return late.poll();
        }

        @Override
        public void close() {}
    }

    private static void process(FaceSwapPipeline pipeline, SwapSettings settings, int frame) {
        try (Mat copy = photo.clone(); FrameView view = FrameView.of(copy)) {
            pipeline.process(view, settings, frame * 33_333_333L);
        }
    }

    private static Face elsewhere(Face f, float dx) {
        BoundingBox b = f.box();
        float[] kps = f.kps();
        for (int i = 0; i < kps.length; i += 2) {
            kps[i] += dx;
        }
        return new Face(new BoundingBox(b.x1() + dx, b.y1(), b.x2() + dx, b.y2()), f.score(), kps);
    }

    @Test
    void aRoundTooLateToBringForwardIsDroppedNotUsedWhereTheFacesWereLongAgo() {
        ScriptedRounds rounds = new ScriptedRounds();
        try (FaceSwapPipeline pipeline = new FaceSwapPipeline(models, TrackerSettings.DEFAULT, rounds)) {
            process(pipeline, EVERY_10TH, 0);
            Face face = pipeline.tracks().get(0).face();
            for (int i = 1; i <= Track.HISTORY + 2; i++) {
                process(pipeline, EVERY_10TH, i);
            }
            rounds.late.add(new DetectionRound(1, List.of(elsewhere(face, 200)), 0));
            process(pipeline, EVERY_10TH, Track.HISTORY + 3);
            assertEquals(1, pipeline.staleRounds());
            assertEquals(1, pipeline.tracks().size(), "no ghost track where a face was a second ago");
            assertEquals(face.box().centreX(), pipeline.tracks().get(0).face().box().centreX(), 2);
        }
    }

    @Test
    void aNewcomerInALateRoundHasThisFrameDetectedSoItStartsWhereItIsNow() {
        ScriptedRounds rounds = new ScriptedRounds();
        try (FaceSwapPipeline pipeline = new FaceSwapPipeline(models, TrackerSettings.DEFAULT, rounds)) {
            for (int i = 0; i < 4; i++) {
                process(pipeline, EVERY_10TH, i);
            }
            assertEquals(1, rounds.detectedNow, "only the first frame, which had nothing to follow");
            Face face = pipeline.tracks().get(0).face();
            // Two frames ago the detector saw this face and someone 200 px to the right (gone by now).
            rounds.late.add(new DetectionRound(3, List.of(face, elsewhere(face, 200)), 0));
            process(pipeline, EVERY_10TH, 4);
            assertEquals(2, rounds.detectedNow, "this frame was detected instead of starting a stale track");
            assertEquals(1, pipeline.tracks().size(), "only who is in this frame");
        }
    }

    @Test
    void pausingTheSwapForgetsTheFacesSoResumingFindsThemAfresh() {
        ScriptedRounds rounds = new ScriptedRounds();
        try (FaceSwapPipeline pipeline = new FaceSwapPipeline(models, TrackerSettings.DEFAULT, rounds)) {
            process(pipeline, EVERY_10TH, 0);
            process(pipeline, SwapSettings.of(null), 1); // no source face: nothing is swapped
            assertTrue(pipeline.tracks().isEmpty());
            process(pipeline, EVERY_10TH, 2);
            assertEquals(2, rounds.detectedNow, "found afresh on resuming");
        }
    }
}
