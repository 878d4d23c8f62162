package app.deeplive.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.deeplive.engine.analysis.BoundingBox;
import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.analysis.recognize.ArcFaceRecognizer;
import app.deeplive.engine.blend.BlendOptions;
import app.deeplive.engine.blend.FaceOccluder;
import app.deeplive.engine.blend.FaceRegion;
import app.deeplive.engine.blend.MouthLandmarks;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.enhance.FaceEnhancer;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.image.ImageLoader;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.swap.Identity;
import app.deeplive.engine.swap.FaceSwapper;
import app.deeplive.engine.testing.SharedData;
import app.deeplive.engine.testing.SyntheticModels;
import app.deeplive.engine.track.OpticalFlow;
import app.deeplive.engine.track.Track;
import app.deeplive.engine.track.TrackerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole per-frame pipeline on real photos: the real shared SCRFD detector and MobileFaceNet recogniser find and
 * identify the faces; the swapper, enhancer and landmark model are the synthetic stand-ins (the source identity is
 * a synthetic 512-d embedding, since the shared recogniser is 128-d).
 */
class FaceSwapPipelineTest {
    static SwapModels models;
    static ArcFaceRecognizer recognizer;
    static final Identity SOURCE = new Identity(embedding(1));

    @BeforeAll
    static void load() {
        OrtConfig cpu = OrtConfig.cpu();
        recognizer = ArcFaceRecognizer.open(SharedData.model("mobilefacenet.onnx"), cpu);
        models = new SwapModels(
                ScrfdDetector.open(SharedData.model("scrfd_2.5g_bnkps.onnx"), cpu, DetectorSettings.defaults()),
                FaceSwapper.open(SyntheticModels.inswapper(), cpu),
                recognizer,
                MouthLandmarks.open(SyntheticModels.landmarks106(), cpu),
                Map.of(EnhancerKind.GFPGAN, FaceEnhancer.open(SyntheticModels.gfpgan(), cpu)),
                FaceOccluder.open(SyntheticModels.occluder(), cpu));
    }

    @AfterAll
    static void close() {
        if (models != null) {
            models.close();
        }
    }

    static float[] embedding(int seed) {
        float[] e = new float[512];
        for (int i = 0; i < 512; i++) {
            e[i] = (float) Math.cos(seed * 1.7 + i * 0.05 * (seed + 1));
        }
        return e;
    }

    @Test
    void swapsTheFaceAndLeavesEverythingOutsideItsRegionBitIdentical() {
        try (Mat frame = ImageLoader.load(SharedData.photo("obama.jpg")); Mat original = frame.clone();
                FrameView view = FrameView.of(frame)) {
            Face face = models.detector().detect(original).get(0);
            StageTimings t = new FaceSwapPipeline(models).process(view, SwapSettings.of(SOURCE), 0);
            assertEquals(1, t.swapped());
            FaceRegion region = swapRegion(face, frame);
            assertOnlyInside(List.of(region), frame, original);
            assertTrue(changedPixels(frame, original) > 0.2 * area(face.box()), "the face was swapped");
        }
    }

    @Test
    void pixelBoostSwapsTheSameFaceInTheSameRegionFromALargerCrop() {
        for (int boost : new int[] {256, 512}) {
            try (Mat frame = ImageLoader.load(SharedData.photo("obama.jpg")); Mat original = frame.clone();
                    Mat unboosted = frame.clone(); FrameView view = FrameView.of(frame);
                    FrameView plain = FrameView.of(unboosted)) {
                Face face = models.detector().detect(original).get(0);
                StageTimings t = new FaceSwapPipeline(models).process(view, SwapSettings.of(SOURCE).withPixelBoost(boost), 0);
                new FaceSwapPipeline(models).process(plain, SwapSettings.of(SOURCE), 0);
                assertEquals(1, t.swapped());
                assertOnlyInside(List.of(swapRegion(face, frame)), frame, original);
                assertTrue(changedPixels(frame, original) > 0.2 * area(face.box()), "the face was swapped at " + boost);
                // The synthetic swapper is a per-pixel function: boosted or not, the pasted face is nearly the same
                // (a tile put back at the wrong pixels would differ by as much as the swap itself).
                double boostedVsPlain = meanDifferenceIn(face.box(), frame, unboosted);
                double swappedVsOriginal = meanDifferenceIn(face.box(), frame, original);
                assertTrue(boostedVsPlain < 0.1 * swappedVsOriginal, "at " + boost + ": boosted vs plain "
                        + boostedVsPlain + ", swapped vs original " + swappedVsOriginal);
            }
        }
    }

    /**
     * A HyperSwap model swaps the same face, in the same region, from a 256-px crop, with the embedding itself as the
     * source: the synthetic one adds 4·ê[c] in [−1, 1] to RGB channel c, so the middle of the face moves by 510·ê[c]
     * levels per channel.
     */
    @Test
    void aHyperSwapModelSwapsTheSameRegionWithTheNormedEmbeddingAsSource() {
        float[] e = new float[512];
        java.util.Arrays.fill(e, 0.04f);
        e[0] = 0.05f; // R, G, B: up, down, up; normed below by the swapper (|e| = 0.9 here)
        e[1] = -0.08f;
        e[2] = 0.03f;
        double norm = Math.sqrt(0.05 * 0.05 + 0.08 * 0.08 + 0.03 * 0.03 + 509 * 0.04 * 0.04);
        OrtConfig cpu = OrtConfig.cpu();
        try (SwapModels hyper = new SwapModels(
                        ScrfdDetector.open(SharedData.model("scrfd_2.5g_bnkps.onnx"), cpu, DetectorSettings.defaults()),
                        FaceSwapper.open(SyntheticModels.hyperswap(), cpu), null, null, Map.of());
                Mat frame = ImageLoader.load(SharedData.photo("obama.jpg")); Mat original = frame.clone();
                FrameView view = FrameView.of(frame); FaceSwapPipeline pipeline = new FaceSwapPipeline(hyper)) {
            Face face = hyper.detector().detect(original).get(0);
            assertEquals(1, pipeline.process(view, SwapSettings.of(new Identity(e)), 0).swapped());
            assertOnlyInside(List.of(swapRegion(face, frame)), frame, original);
            int cx = Math.round(face.kpX(Face.NOSE));
            int cy = Math.round(face.kpY(Face.NOSE));
            for (int rgb = 0; rgb < 3; rgb++) {
                int bgr = 2 - rgb;
                double moved = meanIn(frame, cx, cy, bgr) - meanIn(original, cx, cy, bgr);
                assertEquals(510 * e[rgb] / norm, moved, 3.0, "channel " + "RGB".charAt(rgb) + " at the nose");
            }
        }
    }

    /**
     * A session's chosen swapper, by name: until one of that name is added the engine's own swaps (the face is never
     * left unswapped), and from the frame after it is added the chosen one does, exactly as if it were the only one.
     */
    @Test
    void aChosenSwapperIsUsedOnceAddedAndTheEnginesOwnUntilThen() {
        OrtConfig cpu = OrtConfig.cpu();
        SwapSettings chosen = SwapSettings.of(SOURCE).withSwapper("my_hyperswap");
        try (SwapModels origin = new SwapModels(
                        ScrfdDetector.open(SharedData.model("scrfd_2.5g_bnkps.onnx"), cpu, DetectorSettings.defaults()),
                        FaceSwapper.open(SyntheticModels.inswapper(), cpu), null, null, Map.of());
                SwapModels engine = origin.forAnotherCaller();
                SwapModels hyperOnly = new SwapModels(
                        ScrfdDetector.open(SharedData.model("scrfd_2.5g_bnkps.onnx"), cpu, DetectorSettings.defaults()),
                        FaceSwapper.open(SyntheticModels.hyperswap(), cpu), null, null, Map.of());
                Mat frame = ImageLoader.load(SharedData.photo("obama.jpg")); Mat byOwn = frame.clone();
                Mat beforeAdded = frame.clone(); Mat afterAdded = frame.clone(); Mat byHyper = frame.clone();
                FaceSwapPipeline pipeline = new FaceSwapPipeline(engine)) {
            new FaceSwapPipeline(models).process(FrameView.of(byOwn), SwapSettings.of(SOURCE), 0);
            new FaceSwapPipeline(hyperOnly).process(FrameView.of(byHyper), SwapSettings.of(SOURCE), 0);

            pipeline.process(FrameView.of(beforeAdded), chosen, 0);
            assertEquals(0, meanDifferenceIn(models.detector().detect(frame).get(0).box(), beforeAdded, byOwn),
                    "not loaded yet: the engine's own swapper");
            assertTrue(origin.addSwapper("my_hyperswap", hyperOnly.swapper().forAnotherCaller()));
            pipeline.process(FrameView.of(afterAdded), chosen, 1_000_000);
            assertEquals(0, meanDifferenceIn(models.detector().detect(frame).get(0).box(), afterAdded, byHyper),
                    "added: the chosen one, picked up by a wrapper made before it was added");
            origin.nameOwnSwapper("inswapper_128");
            assertSame(engine.swapper(), engine.swapper("inswapper_128"), "the engine's own, by its manifest name");
        }
    }

    /** The mean of one channel over the 9×9 pixels around (cx, cy). */
    private static double meanIn(Mat image, int cx, int cy, int channel) {
        UByteIndexer idx = image.createIndexer();
        double sum = 0;
        for (int y = cy - 4; y <= cy + 4; y++) {
            for (int x = cx - 4; x <= cx + 4; x++) {
                sum += idx.get(y, x, channel);
            }
        }
        return sum / 81;
    }

    /**
     * Something in front of the face (a pure blue "microphone" over the mouth and chin, which the synthetic occluder
     * sees as not face) stays as it was with the occlusion mask on, while the rest of the face is swapped; with the
     * mask off it is swapped over.
     */
    @Test
    void withTheOcclusionMaskWhatCoversTheFaceStaysAndTheRestIsSwapped() {
        try (Mat frame = ImageLoader.load(SharedData.photo("obama.jpg"))) {
            Face face = models.detector().detect(frame).get(0);
            BoundingBox b = face.box();
            int micX = (int) (b.x1() + 0.3 * b.width()), micY = (int) face.kpY(Face.NOSE) + 10;
            int micW = (int) (0.4 * b.width()), micH = (int) b.y2() - micY;
            try (Rect mic = new Rect(micX, micY, micW, micH)) {
                opencv_imgproc.rectangle(frame, mic, new Scalar(255, 0, 0, 0), -1, 8, 0);
            }
            // Inside the microphone, away from its edge by more than the mask's feather (σ = 5 crop px, ≈ 2 frame px
            // per crop px here), and the eyes' band above it.
            int inset = 40;
            BoundingBox inside = new BoundingBox(micX + inset, micY + inset, micX + micW - inset, micY + micH - inset);
            float eyesY = face.kpY(Face.LEFT_EYE);
            BoundingBox eyes = new BoundingBox(b.x1() + 0.2f * b.width(), eyesY - 20, b.x2() - 0.2f * b.width(), eyesY + 20);
            try (Mat occluded = frame.clone(); Mat swappedOver = frame.clone(); Mat original = frame.clone();
                    FrameView withMask = FrameView.of(occluded); FrameView withoutMask = FrameView.of(swappedOver)) {
                new FaceSwapPipeline(models).process(withMask,
                        SwapSettings.of(SOURCE).withBlend(BlendOptions.DEFAULT.withOcclusionMask(true)), 0);
                new FaceSwapPipeline(models).process(withoutMask, SwapSettings.of(SOURCE), 0);
                assertEquals(0, changedIn(inside, occluded, original), "the microphone stays in front of the face");
                assertTrue(changedIn(eyes, occluded, original) > 0.9 * area(eyes), "the rest of the face is swapped");
                assertTrue(changedIn(inside, swappedOver, original) > 0.9 * area(inside),
                        "without the mask the microphone is swapped over");
            }
        }
    }

    @Test
    void withSixFacesEachFaceIsMaskedByWhatCoversItAlone() {
        try (Mat frame = ImageLoader.load(SharedData.photo("t1.jpg"))) {
            List<Face> faces = models.detector().detect(frame);
            assertEquals(6, faces.size());
            // A "microphone" over the lower half of two faces; the other four are uncovered.
            List<BoundingBox> covered = new ArrayList<>();
            for (int i : new int[] {1, 4}) {
                BoundingBox b = faces.get(i).box();
                int x = (int) (b.x1() + 0.25 * b.width()), y = (int) (b.y1() + 0.55 * b.height());
                int w = (int) (0.5 * b.width()), h = (int) (b.y2() - y);
                try (Rect mic = new Rect(x, y, w, h)) {
                    opencv_imgproc.rectangle(frame, mic, new Scalar(255, 0, 0, 0), -1, 8, 0);
                }
                float inset = 0.12f * b.width(); // beyond the mask's feather
                covered.add(new BoundingBox(x + inset, y + inset, x + w - inset, y + h - inset));
            }
            try (Mat original = frame.clone(); FrameView view = FrameView.of(frame)) {
                StageTimings t = new FaceSwapPipeline(models).process(view,
                        SwapSettings.of(SOURCE).withManyFaces(true)
                                .withBlend(BlendOptions.DEFAULT.withOcclusionMask(true)), 0);
                assertEquals(6, t.swapped());
                for (BoundingBox mic : covered) {
                    assertEquals(0, changedIn(mic, frame, original), "the microphone stays in front of its face");
                }
                for (int i : new int[] {0, 2, 3, 5}) {
                    Face f = faces.get(i);
                    BoundingBox middle = new BoundingBox(f.box().x1() + 0.3f * f.box().width(),
                            f.box().y1() + 0.3f * f.box().height(), f.box().x2() - 0.3f * f.box().width(),
                            f.box().y2() - 0.3f * f.box().height());
                    assertTrue(changedIn(middle, frame, original) > 0.5 * area(middle),
                            "an uncovered face is swapped: face " + i);
                }
            }
        }
    }

    @Test
    void aBgraFrameIsSwappedInPlaceKeepingAlpha() {
        try (Mat bgr = ImageLoader.load(SharedData.photo("obama.jpg")); Mat frame = new Mat()) {
            opencv_imgproc.cvtColor(bgr, frame, opencv_imgproc.COLOR_BGR2BGRA);
            try (Mat original = frame.clone(); FrameView view = FrameView.of(frame)) {
                StageTimings t = new FaceSwapPipeline(models).process(view, SwapSettings.of(SOURCE), 0);
                assertEquals(1, t.swapped());
                assertTrue(changedPixels(frame, original) > 1000);
                try (Mat a = new Mat(); Mat b = new Mat()) {
                    opencv_core.extractChannel(frame, a, 3);
                    opencv_core.extractChannel(original, b, 3);
                    assertEquals(0, changedPixels(a, b), "alpha untouched");
                }
            }
        }
    }

    @Test
    void aFrameWithoutFacesIsLeftExactlyAsItWas() {
        try (Mat frame = new Mat(480, 640, opencv_core.CV_8UC3, new Scalar(90, 120, 150, 0)); Mat original = frame.clone();
                FrameView view = FrameView.of(frame)) {
            StageTimings t = new FaceSwapPipeline(models).process(view, SwapSettings.of(SOURCE), 0);
            assertEquals(0, t.detected());
            assertEquals(0, t.swapped());
            assertEquals(0, changedPixels(frame, original));
        }
    }

    @Test
    void opacityZeroReturnsTheInputExactly() {
        try (Mat frame = ImageLoader.load(SharedData.photo("obama.jpg")); Mat original = frame.clone();
                FrameView view = FrameView.of(frame)) {
            SwapSettings settings = SwapSettings.of(SOURCE).withBlend(BlendOptions.DEFAULT.withOpacity(0));
            new FaceSwapPipeline(models).process(view, settings, 0);
            assertEquals(0, changedPixels(frame, original));
        }
    }

    @Test
    void oneFaceModeSwapsTheLargestAndManyFacesModeSwapsAll() {
        try (Mat frame = ImageLoader.load(SharedData.photo("t1.jpg")); Mat original = frame.clone();
                FrameView view = FrameView.of(frame)) {
            List<Face> faces = models.detector().detect(original);
            assertEquals(6, faces.size());
            Face largest = faces.stream().max((a, b) -> Double.compare(area(a.box()), area(b.box()))).orElseThrow();
            StageTimings one = new FaceSwapPipeline(models).process(view, SwapSettings.of(SOURCE), 0);
            assertEquals(1, one.swapped());
            assertOnlyInside(List.of(swapRegion(largest, frame)), frame, original);
        }
        try (Mat frame = ImageLoader.load(SharedData.photo("t1.jpg")); Mat original = frame.clone();
                FrameView view = FrameView.of(frame)) {
            StageTimings all = new FaceSwapPipeline(models).process(view, SwapSettings.of(SOURCE).withManyFaces(true), 0);
            assertEquals(6, all.swapped());
            for (Face f : models.detector().detect(original)) {
                assertTrue(changedIn(f.box(), frame, original) > 0.2 * area(f.box()), "face at " + f.box() + " swapped");
            }
        }
    }

    @Test
    void aMappingSwapsOnlyThePersonItNamesAndNeverJumpsToSomeoneElse() {
        try (Mat frame = ImageLoader.load(SharedData.photo("t1.jpg")); Mat original = frame.clone()) {
            List<Face> faces = models.detector().detect(original);
            Face chosen = faces.get(2);
            Identity reference = new Identity(recognizer.embed(original, chosen.kps()));
            SwapSettings settings = SwapSettings.of(null)
                    .withMappings(List.of(new FaceMapping(reference, SOURCE))).withMappingThreshold(0.5);
            FaceSwapPipeline pipeline = new FaceSwapPipeline(models);
            try (FrameView view = FrameView.of(frame)) {
                StageTimings t = pipeline.process(view, settings, 0);
                assertEquals(1, t.swapped());
            }
            assertOnlyInside(List.of(swapRegion(chosen, frame)), frame, original);

            // The chosen person leaves (their face is covered); the others stay. Nobody else is swapped, ever.
            for (int i = 1; i <= 6; i++) {
                try (Mat next = original.clone(); FrameView view = FrameView.of(next)) {
                    BoundingBox b = chosen.box();
                    try (Rect r = new Rect((int) b.x1() - 10, (int) b.y1() - 10, (int) b.width() + 20, (int) b.height() + 20)) {
                        opencv_imgproc.rectangle(next, r, new Scalar(128, 128, 128, 0), -1, 8, 0);
                    }
                    try (Mat covered = next.clone()) {
                        pipeline.process(view, settings, i * 33_000_000L);
                        for (Face other : faces) {
                            if (other != chosen) {
                                assertEquals(0, changedIn(other.box(), next, covered), "frame " + i + ": " + other.box());
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void underAMappingBystandersAreLookedAtAgainTwoPerDetectEveryFramesSoTheyNeverStallAFrame() {
        assumeTrue(OpticalFlow.available(), "detection rounds every third frame need optical flow between them");
        int r = MappedFaces.RETRIES_PER_WINDOW;
        List<Integer> everyFace = List.of(6, 0, 0, r, 0, 0, r, 6);
        assertEquals(everyFace, recognisedPerFrame(TrackerSettings.DEFAULT.withEveryFrameDetectionBelow(0)),
                "every face when first seen, then two of the five bystanders each third frame, not all five, and a "
                        + "new mapping list at once");
        assertEquals(everyFace, recognisedPerFrame(TrackerSettings.DEFAULT.withEveryFrameDetectionBelow(Long.MAX_VALUE)),
                "the same when a fast detector looks at every frame");
    }

    /**
     * Faces recognised on each of 8 frames of the six-face photo, one person mapped, detect_every 3; the mapping list
     * changes on the last frame. Checks on the way that the mapped person is swapped on every frame and that the
     * largest bystander is looked at again in each window (frames 3 and 6).
     */
    private static List<Integer> recognisedPerFrame(TrackerSettings tracking) {
        try (Mat photo = ImageLoader.load(SharedData.photo("t1.jpg"))) {
            List<Face> faces = models.detector().detect(photo);
            assertEquals(6, faces.size());
            Identity reference = new Identity(recognizer.embed(photo, faces.get(2).kps()));
            SwapSettings settings = SwapSettings.of(null).withMappings(List.of(new FaceMapping(reference, SOURCE)))
                    .withMappingThreshold(0.5).withDetectEveryK(3);
            FaceSwapPipeline pipeline = new FaceSwapPipeline(models, tracking);
            List<Integer> recognised = new ArrayList<>();
            long largestBystander = -1;
            float[] largestBystanderSeenAs = null;
            for (int i = 0; i < 8; i++) {
                if (i == 7) { // another mapping list is another question: every face is looked at again at once
                    settings = settings.withMappings(List.of(new FaceMapping(reference, new Identity(embedding(2)))));
                }
                // Each frame a little brighter, so a face looked at again gets a slightly different embedding.
                try (Mat frame = brighter(photo, i); FrameView view = FrameView.of(frame)) {
                    StageTimings t = pipeline.process(view, settings, i * 33_000_000L);
                    assertEquals(1, t.swapped(), "frame " + i + ": the mapped person, on every frame");
                    recognised.add(t.recognised());
                }
                if (i == 0) { // a frame the detector looked at
                    largestBystander = largestOtherThan(pipeline.tracks(), faces.get(2)).id();
                }
                float[] now = trackById(pipeline.tracks(), largestBystander).face().embedding();
                if (i == 3 || i == 6) {
                    assertFalse(java.util.Arrays.equals(now, largestBystanderSeenAs),
                            "frame " + i + ": the largest bystander is looked at again");
                }
                largestBystanderSeenAs = now;
            }
            return recognised;
        }
    }

    private static Mat brighter(Mat photo, int by) {
        Mat out = new Mat();
        photo.convertTo(out, -1, 1.0, by);
        return out;
    }

    private static Track trackById(List<Track> tracks, long id) {
        return tracks.stream().filter(t -> t.id() == id).findFirst().orElseThrow();
    }

    /** The largest tracked face whose box does not hold {@code other}'s centre. */
    private static Track largestOtherThan(List<Track> tracks, Face other) {
        float cx = (other.box().x1() + other.box().x2()) / 2;
        float cy = (other.box().y1() + other.box().y2()) / 2;
        return tracks.stream()
                .filter(t -> !(cx > t.face().box().x1() && cx < t.face().box().x2() && cy > t.face().box().y1()
                        && cy < t.face().box().y2()))
                .max(java.util.Comparator.comparingDouble(t -> t.face().box().area())).orElseThrow();
    }

    @Test
    void withAFastDetectorSomeoneWhoWalksInIsSwappedFromTheirFirstFrame() {
        assumeTrue(OpticalFlow.available(), "with a slow detector the faces are followed by their flow");
        TrackerSettings fast = TrackerSettings.DEFAULT.withEveryFrameDetectionBelow(Long.MAX_VALUE);
        TrackerSettings slow = TrackerSettings.DEFAULT.withEveryFrameDetectionBelow(0);
        assertEquals(6, swappedWhenThreeWalkIn(fast), "every frame looked at: all six on the frame they appear");
        assertEquals(3, swappedWhenThreeWalkIn(slow),
                "frames followed by flow until the next round: the three who walked in still show their own faces");
    }

    /** Faces swapped on the frame where three people join the three already in the picture (detect_every 5). */
    private static int swappedWhenThreeWalkIn(TrackerSettings tracking) {
        SwapSettings settings = SwapSettings.of(SOURCE).withManyFaces(true).withDetectEveryK(5);
        FaceSwapPipeline pipeline = new FaceSwapPipeline(models, tracking);
        try (Mat photo = ImageLoader.load(SharedData.photo("t1.jpg")); Mat three = photo.clone()) {
            List<Face> faces = models.detector().detect(photo);
            assertEquals(6, faces.size());
            faces.sort(java.util.Comparator.comparingDouble(f -> f.box().x1()));
            for (Face away : faces.subList(3, 6)) { // the three on the right are not there yet
                BoundingBox b = away.box();
                try (Rect r = new Rect((int) b.x1() - 10, (int) b.y1() - 10, (int) b.width() + 20, (int) b.height() + 20)) {
                    opencv_imgproc.rectangle(three, r, new Scalar(128, 128, 128, 0), -1, 8, 0);
                }
            }
            for (int i = 0; i < 3; i++) {
                try (Mat frame = three.clone(); FrameView view = FrameView.of(frame)) {
                    assertEquals(3, pipeline.process(view, settings, i * 33_000_000L).swapped(), "frame " + i);
                }
            }
            try (Mat frame = photo.clone(); FrameView view = FrameView.of(frame)) {
                return pipeline.process(view, settings, 3 * 33_000_000L).swapped();
            }
        }
    }

    @Test
    void aMissedDetectionDoesNotFlickerBackToTheOriginalFace() {
        FaceSwapPipeline pipeline = new FaceSwapPipeline(models);
        try (Mat frame = ImageLoader.load(SharedData.photo("obama.jpg")); FrameView view = FrameView.of(frame)) {
            pipeline.process(view, SwapSettings.of(SOURCE), 0);
        }
        // The detector misses the face in the next frame (here: a frame it cannot see a face in).
        try (Mat frame = ImageLoader.load(SharedData.photo("obama.jpg")); Mat original = frame.clone();
                Mat blurred = new Mat()) {
            opencv_imgproc.resize(frame, blurred, new org.bytedeco.opencv.opencv_core.Size(8, 8));
            opencv_imgproc.resize(blurred, frame, frame.size());
            try (Mat before = frame.clone(); FrameView view = FrameView.of(frame)) {
                StageTimings t = pipeline.process(view, SwapSettings.of(SOURCE), 33_000_000L);
                assertEquals(0, t.detected(), "the detector saw nothing");
                assertEquals(1, t.swapped(), "the held track is still swapped");
                assertTrue(changedPixels(frame, before) > 1000);
            }
        }
    }

    @Test
    void detectingEveryKthFrameReusesTheTrackedFacesInBetween() {
        assertEquals(List.of(1, 0, 0, 1, 0, 0), detectedFrames(new FaceSwapPipeline(models), 6));
    }

    /** Swaps the photo {@code frames} times with detect_every 3; 1 for each frame the detector looked at. */
    private static List<Integer> detectedFrames(FaceSwapPipeline pipeline, int frames) {
        SwapSettings settings = SwapSettings.of(SOURCE).withDetectEveryK(3);
        List<Integer> detections = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            try (Mat frame = ImageLoader.load(SharedData.photo("obama.jpg")); FrameView view = FrameView.of(frame)) {
                StageTimings t = pipeline.process(view, settings, i * 33_000_000L);
                assertEquals(1, t.swapped(), "frame " + i);
                detections.add(t.detectNanos() > 0 ? 1 : 0);
            }
        }
        return detections;
    }

    @Test
    void withoutOpticalFlowEveryFrameIsDetectedAndStillSwapped() {
        // Where OpenCV's video module cannot load (no GTK 2), faces are found on every frame instead of followed.
        FaceSwapPipeline pipeline = new FaceSwapPipeline(models, TrackerSettings.DEFAULT.withoutOpticalFlow());
        assertEquals(List.of(1, 1, 1, 1), detectedFrames(pipeline, 4));
    }

    @Test
    void theMouthMaskKeepsTheOriginalMouth() {
        try (Mat frame = ImageLoader.load(SharedData.photo("obama.jpg")); Mat original = frame.clone();
                FrameView view = FrameView.of(frame)) {
            Face face = models.detector().detect(original).get(0);
            SwapSettings settings = SwapSettings.of(SOURCE).withBlend(BlendOptions.DEFAULT.withMouthMask(20));
            new FaceSwapPipeline(models).process(view, settings, 0);
            // Where the synthetic 2d106det puts the mouth: ellipse centre (0, MOUTH_CY) of its [-1,1] crop space.
            var toCrop = MouthLandmarks.cropTransform(face.box()).inverse();
            double[] mouth = toCrop.apply(96, (SyntheticModels.MOUTH_CY + 1) * 96);
            double[] cheek = toCrop.apply(96 - 0.5 * 96, 96 - 0.1 * 96);
            try (Rect r = new Rect((int) mouth[0] - 6, (int) mouth[1] - 3, 13, 7); Mat now = new Mat(frame, r);
                    Mat before = new Mat(original, r)) {
                assertEquals(0, changedPixels(now, before), "the mouth is the original");
            }
            UByteIndexer a = frame.createIndexer();
            UByteIndexer b = original.createIndexer();
            assertTrue(a.get((long) cheek[1], (long) cheek[0], 2) != b.get((long) cheek[1], (long) cheek[0], 2)
                    || a.get((long) cheek[1], (long) cheek[0], 0) != b.get((long) cheek[1], (long) cheek[0], 0),
                    "the rest of the face is swapped");
        }
    }

    @Test
    void theEnhancerChangesOnlyTheFaceRegion() {
        try (Mat swappedOnly = ImageLoader.load(SharedData.photo("obama.jpg"));
                Mat enhanced = swappedOnly.clone(); Mat original = swappedOnly.clone()) {
            Face face = models.detector().detect(original).get(0);
            try (FrameView v = FrameView.of(swappedOnly)) {
                new FaceSwapPipeline(models).process(v, SwapSettings.of(SOURCE), 0);
            }
            try (FrameView v = FrameView.of(enhanced)) {
                new FaceSwapPipeline(models).process(v, SwapSettings.of(SOURCE).withEnhancer(EnhancerKind.GFPGAN, 1.0), 0);
            }
            FaceEnhancer gfpgan = models.enhancer(EnhancerKind.GFPGAN);
            FaceRegion enhanceRegion = FaceRegion.of(gfpgan.cropTransform(face.kps()).inverse(), 512,
                    original.cols(), original.rows());
            assertOnlyInside(List.of(swapRegion(face, original), enhanceRegion), enhanced, original);
            // The synthetic enhancer negates: the face centre becomes 255 − the swapped pixel.
            double[] nose = {face.kpX(Face.NOSE), face.kpY(Face.NOSE)};
            UByteIndexer e = enhanced.createIndexer();
            UByteIndexer s = swappedOnly.createIndexer();
            for (int c = 0; c < 3; c++) {
                assertEquals(255 - s.get((long) nose[1], (long) nose[0], c), e.get((long) nose[1], (long) nose[0], c), 3.0);
            }
        }
    }

    static FaceRegion swapRegion(Face face, Mat frame) {
        return FaceRegion.of(FaceSwapper.TEMPLATE.transformFrom(face.kps()).inverse(), FaceSwapper.TEMPLATE.size(), frame.cols(), frame.rows());
    }

    static double area(BoundingBox b) {
        return (double) b.width() * b.height();
    }

    /** Asserts every pixel outside the regions is bit-identical. */
    static void assertOnlyInside(List<FaceRegion> regions, Mat frame, Mat original) {
        UByteIndexer a = frame.createIndexer();
        UByteIndexer b = original.createIndexer();
        int channels = frame.channels();
        for (int y = 0; y < frame.rows(); y++) {
            for (int x = 0; x < frame.cols(); x++) {
                final int px = x, py = y;
                if (regions.stream().anyMatch(r -> r.contains(px, py))) {
                    continue;
                }
                for (int c = 0; c < channels; c++) {
                    if (a.get(y, x, c) != b.get(y, x, c)) {
                        throw new AssertionError("pixel " + x + "," + y + " outside the face regions changed");
                    }
                }
            }
        }
    }

    static int changedPixels(Mat a, Mat b) {
        try (Mat diff = new Mat(); Mat grey = new Mat()) {
            opencv_core.absdiff(a, b, diff);
            try (Mat flat = diff.reshape(1, diff.rows() * diff.cols())) {
                opencv_core.reduce(flat, grey, 1, opencv_core.REDUCE_MAX);
            }
            return opencv_core.countNonZero(grey);
        }
    }

    /** The mean absolute difference of the two frames inside {@code box}, over its pixels and colour channels. */
    private static double meanDifferenceIn(BoundingBox box, Mat frame, Mat other) {
        int x = Math.max(0, (int) box.x1()), y = Math.max(0, (int) box.y1());
        int w = Math.min(frame.cols(), (int) box.x2()) - x, h = Math.min(frame.rows(), (int) box.y2()) - y;
        try (Rect r = new Rect(x, y, w, h); Mat a = new Mat(frame, r); Mat b = new Mat(other, r); Mat diff = new Mat()) {
            opencv_core.absdiff(a, b, diff);
            Scalar m = opencv_core.mean(diff);
            return (m.get(0) + m.get(1) + m.get(2)) / 3;
        }
    }

    static int changedIn(BoundingBox box, Mat frame, Mat original) {
        int x = Math.max(0, (int) box.x1()), y = Math.max(0, (int) box.y1());
        int w = Math.min(frame.cols(), (int) box.x2()) - x, h = Math.min(frame.rows(), (int) box.y2()) - y;
        try (Rect r = new Rect(x, y, w, h); Mat a = new Mat(frame, r); Mat b = new Mat(original, r)) {
            return changedPixels(a.clone(), b.clone());
        }
    }
}
