package app.deeplive.engine.enhance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.blend.FaceRegion;
import app.deeplive.engine.image.ImageLoader;
import app.deeplive.engine.live.CostMatchedModels;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.testing.SharedData;
import app.deeplive.engine.testing.SyntheticModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/**
 * All faces of a frame through the enhancer: one run when the model's batch dimension is dynamic, one run per face
 * when it is fixed at 1, and the same frame out either way. Every face is enhanced from the frame as it was before
 * the call and the faces are pasted in list order, so where regions overlap the later face lies on top.
 */
class FaceEnhancerBatchTest {
    private static final OrtConfig ORT = OrtConfig.cpu().withIntraOpThreads(1);

    /** The five keypoints of t1.jpg's six faces, as the production detector finds them. */
    private static List<float[]> groupPhotoFaces(Mat photo) {
        try (ScrfdDetector detector = ScrfdDetector.open(SharedData.model("scrfd_2.5g_bnkps.onnx"), ORT,
                DetectorSettings.defaults())) {
            List<float[]> kps = new ArrayList<>();
            for (Face f : detector.detect(photo)) {
                kps.add(f.kps());
            }
            assertEquals(6, kps.size(), "t1.jpg has six faces");
            return kps;
        }
    }

    /** A fine pattern that differs pixel to pixel, so crops at different scales resample it differently. */
    private static Mat texture(int width, int height) {
        Mat m = new Mat(height, width, opencv_core.CV_8UC3);
        try (UByteIndexer px = m.createIndexer()) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    for (int c = 0; c < 3; c++) {
                        px.put(y, x, c, (x * 37 + y * 91 + c * 53 + ((x * y) % 17) * 13) & 0xff);
                    }
                }
            }
        }
        return m;
    }

    /** Keypoints whose FFHQ crop maps onto the frame by {@code cropToFrame}. */
    private static float[] face(int size, SimilarityTransform cropToFrame) {
        return FaceEnhancerTest.kpsFor(size, cropToFrame);
    }

    /** {@code count} small faces in a grid, not overlapping, on a 900×700 frame. */
    private static List<float[]> grid(int count) {
        List<float[]> kps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            kps.add(face(256, SimilarityTransform.of(0.5, 0.05 * i, 20 + 170 * (i % 5), 20 + 170 * (i / 5))));
        }
        return kps;
    }

    /** The largest difference of any byte of two images, within {@code rect} if given. */
    private static double maxDifference(Mat a, Mat b, Rect rect) {
        if (rect == null) {
            return opencv_core.norm(a, b, opencv_core.NORM_INF, new Mat());
        }
        try (Mat ra = new Mat(a, rect); Mat rb = new Mat(b, rect)) {
            return opencv_core.norm(ra, rb, opencv_core.NORM_INF, new Mat());
        }
    }

    /** A copy of {@code frame} enhanced by {@code enhancer} at the given faces. */
    private static Mat enhanced(FaceEnhancer enhancer, Mat frame, List<float[]> kps, double amount) {
        Mat out = frame.clone();
        enhancer.enhanceAll(out, kps, amount);
        return out;
    }

    @Test
    void theSixFacesOfTheGroupPhotoInOneRunGiveTheSameFrameAsOneRunPerFace() {
        try (FaceEnhancer perFace = FaceEnhancer.open(SyntheticModels.gpen256(), ORT);
                FaceEnhancer batched = FaceEnhancer.open(SyntheticModels.gpen256Batched(), ORT);
                Mat photo = ImageLoader.load(SharedData.photo("t1.jpg"))) {
            assertFalse(perFace.batched(), "gpen_bfr_256.onnx is fixed at batch 1");
            assertTrue(batched.batched(), "gpen_bfr_256_batch.onnx has a dynamic batch dimension");
            List<float[]> kps = groupPhotoFaces(photo);
            for (double amount : new double[] {1.0, 0.6}) {
                try (Mat one = enhanced(perFace, photo, kps, amount); Mat all = enhanced(batched, photo, kps, amount)) {
                    assertEquals(0, maxDifference(one, all, null), "batched and per-face frames differ");
                    assertEquals(6, batched.batchCapacity(), "one run took all six faces");
                    assertEquals(1, perFace.batchCapacity());
                    assertOnlyFaceRegionsChanged(batched, photo, all, kps);
                }
            }
        }
    }

    /** Every face's region changed; every pixel outside all of them kept its exact bytes. */
    private static void assertOnlyFaceRegionsChanged(FaceEnhancer e, Mat original, Mat result, List<float[]> kps) {
        try (Mat outside = new Mat(original.rows(), original.cols(), opencv_core.CV_8UC1, new Scalar(255.0));
                Mat diff = new Mat()) {
            for (float[] k : kps) {
                FaceRegion region = FaceRegion.of(e.cropTransform(k).inverse(), e.size(), original.cols(),
                        original.rows());
                try (Rect r = region.rect(); Mat hole = new Mat(outside, r)) {
                    assertTrue(maxDifference(original, result, r) > 0, "face at " + region + " not enhanced");
                    hole.put(new Scalar(0.0));
                }
            }
            assertEquals(0, opencv_core.norm(original, result, opencv_core.NORM_INF, outside),
                    "a pixel outside every face's region changed");
        }
    }

    @Test
    void aCostMatchedNetworkGivesTheSameFacesBatchedAsOneRunPerFace() {
        SyntheticModels.requireGenerator();
        Path dir = CostMatchedModels.generate(CostMatchedModels.projectDir(), 0.002);
        try (FaceEnhancer perFace = FaceEnhancer.open(dir.resolve(CostMatchedModels.ENHANCER_FIXED_BATCH), ORT);
                FaceEnhancer batched = FaceEnhancer.open(dir.resolve(CostMatchedModels.ENHANCER), ORT);
                Mat photo = ImageLoader.load(SharedData.photo("t1.jpg"))) {
            assertFalse(perFace.batched());
            assertTrue(batched.batched());
            List<float[]> kps = groupPhotoFaces(photo);
            try (Mat one = enhanced(perFace, photo, kps, 1.0); Mat all = enhanced(batched, photo, kps, 1.0)) {
                // Convolutions over a batch may sum in another order: within one level of rounding.
                assertTrue(maxDifference(one, all, null) <= 1, "batched and per-face frames differ");
                assertTrue(maxDifference(photo, all, null) > 0, "nothing was enhanced");
            }
        }
    }

    @Test
    void aLargerBatchGrowsTheBuffersAndASmallerOneReusesThem() {
        try (FaceEnhancer perFace = FaceEnhancer.open(SyntheticModels.gpen256(), ORT);
                FaceEnhancer batched = FaceEnhancer.open(SyntheticModels.gpen256Batched(), ORT);
                Mat frame = texture(900, 700)) {
            assertEquals(1, batched.batchCapacity(), "buffers for one face until more come");
            int[] counts = {2, 6, 3, 1, FaceEnhancer.MAX_BATCH + 2};
            int[] capacities = {2, 6, 6, 6, FaceEnhancer.MAX_BATCH};
            for (int i = 0; i < counts.length; i++) {
                List<float[]> kps = grid(counts[i]);
                try (Mat one = enhanced(perFace, frame, kps, 1.0); Mat all = enhanced(batched, frame, kps, 1.0)) {
                    assertEquals(capacities[i], batched.batchCapacity(), counts[i] + " faces");
                    assertEquals(0, maxDifference(one, all, null), counts[i] + " faces: batched and per-face differ");
                    assertOnlyFaceRegionsChanged(batched, frame, all, kps);
                }
            }
        }
    }

    @Test
    void aModelFixedAtBatchOneEnhancesEveryFaceWithBuffersForOne() {
        try (FaceEnhancer e = FaceEnhancer.open(SyntheticModels.gpen256(), ORT);
                Mat frame = new Mat(700, 900, opencv_core.CV_8UC3, new Scalar(40, 100, 220, 0))) {
            List<float[]> kps = grid(6);
            e.enhanceAll(frame, kps, 1.0);
            assertEquals(1, e.batchCapacity());
            try (UByteIndexer px = frame.createIndexer()) {
                for (int i = 0; i < 6; i++) {
                    // Each face's centre: 255 − x (the synthetic model negates in [-1, 1]).
                    int cx = 20 + 170 * (i % 5) + 64;
                    int cy = 20 + 170 * (i / 5) + 64;
                    assertEquals(255 - 40, px.get(cy, cx, 0), 1.0, "face " + i);
                    assertEquals(255 - 220, px.get(cy, cx, 2), 1.0, "face " + i);
                }
            }
        }
    }

    @Test
    void whereFacesOverlapTheLaterOneIsOnTopAndEachIsEnhancedFromTheFrameBeforeTheCall() {
        for (Path model : new Path[] {SyntheticModels.gpen256(), SyntheticModels.gpen256Batched()}) {
            try (FaceEnhancer e = FaceEnhancer.open(model, ORT); Mat frame = texture(500, 500)) {
                // A: the crop at full scale over (50..306)²; B: a smaller, turned crop inside it, around (230, 230).
                float[] a = face(256, SimilarityTransform.of(1.0, 0, 50, 50));
                float[] b = face(256, SimilarityTransform.of(0.6, 0.3, 200, 140));
                try (Mat both = enhanced(e, frame, List.of(a, b), 1.0);
                        Mat onlyA = enhanced(e, frame, List.of(a), 1.0);
                        Mat onlyB = enhanced(e, frame, List.of(b), 1.0);
                        Rect core = new Rect(215, 215, 30, 30); // B fully weighted here, inside A's full weight too
                        Rect onlyACorner = new Rect(70, 70, 40, 40)) { // outside B's region
                    assertTrue(maxDifference(onlyA, onlyB, core) > 10, "A and B resample the texture alike: " + model);
                    assertEquals(0, maxDifference(both, onlyB, core), "B, the later face, is on top: " + model);
                    assertEquals(0, maxDifference(both, onlyA, onlyACorner), "A elsewhere: " + model);
                }
            }
        }
    }
}
