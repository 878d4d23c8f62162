package app.deeplive.engine.blend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.parallel.PerFace;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

class FacePasteTest {
    /** A face crop placed rotated and scaled in a 640×480 frame. */
    static final SimilarityTransform CROP_TO_FRAME = SimilarityTransform.of(1.9, 0.25, 250, 90);
    static final SimilarityTransform FRAME_TO_CROP = CROP_TO_FRAME.inverse();

    @Test
    void pixelsOutsideTheFaceRegionAreBitIdenticalAndAlphaIsKept() {
        for (int channels : new int[] {3, 4}) {
            try (Mat frame = BlendTestImages.pattern(640, 480, channels); Mat original = frame.clone();
                    Mat swapped = BlendTestImages.uniform(128, 10, 200, 30)) {
                FacePaste.paste(frame, swapped, FRAME_TO_CROP, BlendOptions.DEFAULT, null);
                FaceRegion region = FaceRegion.of(CROP_TO_FRAME, 128, 640, 480);
                UByteIndexer a = frame.createIndexer();
                UByteIndexer b = original.createIndexer();
                int changed = 0;
                for (int y = 0; y < 480; y++) {
                    for (int x = 0; x < 640; x++) {
                        for (int c = 0; c < channels; c++) {
                            boolean same = a.get(y, x, c) == b.get(y, x, c);
                            if (!region.contains(x, y) || c == 3) {
                                assertTrue(same, "pixel " + x + "," + y + " channel " + c + " changed");
                            } else if (!same) {
                                changed++;
                            }
                        }
                    }
                }
                assertTrue(changed > 128 * 128, "the face was pasted (" + changed + " values changed)");
            }
        }
    }

    @Test
    void opacityZeroReturnsTheInputExactly() {
        try (Mat frame = BlendTestImages.pattern(640, 480, 4); Mat original = frame.clone();
                Mat swapped = BlendTestImages.uniform(128, 10, 200, 30)) {
            FacePaste.paste(frame, swapped, FRAME_TO_CROP, BlendOptions.DEFAULT.withOpacity(0), null);
            assertEquals(0, BlendTestImages.maxDifference(frame, original));
        }
    }

    @Test
    void eachSwappedPixelLandsWhereTheInverseTransformSays() {
        try (Mat frame = BlendTestImages.uniform(640, 0, 0, 0); Mat swapped = BlendTestImages.pattern(128, 128, 3)) {
            FacePaste.paste(frame, swapped, FRAME_TO_CROP, BlendOptions.DEFAULT, null);
            UByteIndexer out = frame.createIndexer();
            UByteIndexer crop = swapped.createIndexer();
            int checked = 0;
            // The middle of the crop, where the mask is fully opaque: frame pixel p shows crop pixel frameToCrop(p).
            for (int y = 0; y < 480; y += 3) {
                for (int x = 0; x < 640; x += 3) {
                    double[] c = FRAME_TO_CROP.apply(x, y);
                    if (c[0] < 32 || c[0] > 96 || c[1] < 32 || c[1] > 96) {
                        continue;
                    }
                    int cx = (int) Math.round(c[0]);
                    int cy = (int) Math.round(c[1]);
                    for (int ch = 0; ch < 3; ch++) {
                        // Nearest crop pixel vs the bilinear sample: the pattern's gradient is ≤ 4 levels per pixel.
                        assertEquals(crop.get(cy, cx, ch), out.get(y, x, ch), 5.0,
                                "frame " + x + "," + y + " -> crop " + c[0] + "," + c[1] + " channel " + ch);
                    }
                    checked++;
                }
            }
            assertTrue(checked > 500, "checked " + checked);
        }
    }

    @Test
    void theRegionMaskEqualsInsightfacesFullFrameMask() {
        assertMaskMatchesReference(CROP_TO_FRAME, 640, 480, 4.01);
    }

    @Test
    void aLargeFacesMaskComputedSmallerAndScaledUpStillMatchesTheReference() {
        // 128 · 5.5 = 704 px, above SwapMask.EXACT_LIMIT: computed at 256 px and scaled up (measured: at most 3
        // levels off, on edge pixels).
        assertMaskMatchesReference(SimilarityTransform.of(5.5, -0.2, 150, 200), 1100, 950, 6.01);
    }

    @Test
    void anUprightLargeFacesMaskIsFeatheredOnEverySide() {
        // Computed scaled down (the region's 2 px margin is then under a pixel), the erosion must still eat into
        // the crop from the top and left. Upright, the reference's edges snap to whole pixels, which the scaled
        // construction does not copy: up to ½ px, here 7 levels on edge pixels (measured).
        assertMaskMatchesReference(SimilarityTransform.of(1000.0 / 128, 0, 460, 40), 1920, 1080, 7.01);
    }

    @Test
    void aLargeFaceCutByTheFrameEdgeKeepsInsightfacesMaskThere() {
        // At the frame's edge insightface neither erodes nor blurs in zeros, and measures the face's size on the
        // visible part only. Where an edge of the crop crosses the frame's edge, insightface erodes it only from
        // the visible part, which the scaled construction does not copy: measured, up to 33 levels on 0.4% of the
        // region's pixels there (mean 0.05 levels).
        assertMaskMatchesReference(SimilarityTransform.of(5.5, 0.15, -60, 150), 1100, 1100, 34.01);
    }

    private static void assertMaskMatchesReference(SimilarityTransform cropToFrame, int w, int h, double levels) {
        FaceRegion region = FaceRegion.of(cropToFrame, 128, w, h);
        try (SwapMask mask = new SwapMask(); Mat reference = fullFrameMask(cropToFrame, w, h)) {
            Mat weights = mask.build(cropToFrame, 128, region, w, h);
            UByteIndexer ours = weights.createIndexer();
            FloatIndexer ref = reference.createIndexer();
            FaceRegion support = mask.support();
            double worst = 0;
            double sum = 0;
            int differing = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float actual = region.contains(x, y) ? ours.get(y - region.y(), x - region.x()) / 255f : 0f;
                    if (actual > 0) {
                        assertTrue(support.contains(x - region.x(), y - region.y()), "mask support holds " + x + "," + y);
                    }
                    double d = Math.abs(ref.get(y, x) - actual);
                    worst = Math.max(worst, d);
                    sum += d;
                    differing += d > 1.01 / 255 ? 1 : 0;
                }
            }
            // warpAffine's fixed-point coordinates round differently for a shifted origin, which can move the
            // thresholded edge by a pixel here and there: a few 8-bit levels on a small share of edge pixels.
            assertTrue(worst <= levels / 255, "worst mask difference " + worst * 255 + " levels");
            assertTrue(differing < region.width() * region.height() / (levels > 5 ? 10 : 100),
                    differing + " mask pixels differ by > 1 level");
            assertTrue(sum / (w * h) < 1.0 / 255, "mean difference " + sum / (w * h) * 255 + " levels");
            assertEquals(255, ours.get(region.height() / 2, region.width() / 2), "the face centre is fully swapped");
        }
    }

    /** insightface's paste-back mask computed the straightforward way, over the whole frame. */
    private static Mat fullFrameMask(SimilarityTransform cropToFrame, int w, int h) {
        try (Mat white = new Mat(128, 128, opencv_core.CV_8U, new Scalar(255.0)); Mat m = cropToFrame.toMat()) {
            Mat mask = new Mat();
            opencv_imgproc.warpAffine(white, mask, m, new Size(w, h));
            opencv_imgproc.threshold(mask, mask, 20, 255, opencv_imgproc.THRESH_BINARY);
            int minX = w, maxX = -1, minY = h, maxY = -1;
            try (UByteIndexer idx = mask.createIndexer()) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        if (idx.get(y, x) == 255) {
                            minX = Math.min(minX, x);
                            maxX = Math.max(maxX, x);
                            minY = Math.min(minY, y);
                            maxY = Math.max(maxY, y);
                        }
                    }
                }
            }
            int size = (int) Math.sqrt((double) (maxY - minY) * (maxX - minX));
            int k = Math.max(size / 10, 10);
            opencv_imgproc.erode(mask, mask, Mat.ones(k, k, opencv_core.CV_8U).asMat());
            int blur = 2 * Math.max(size / 20, 5) + 1;
            opencv_imgproc.GaussianBlur(mask, mask, new Size(blur, blur), 0);
            Mat f = new Mat();
            mask.convertTo(f, opencv_core.CV_32F, 1 / 255.0, 0);
            return f;
        }
    }

    @Test
    void copyingTheOpaqueCoreGivesTheBytesBlendingItWould() {
        SimilarityTransform cropToFrame = SimilarityTransform.of(3.1, 0.2, 150, 60);
        for (int channels : new int[] {3, 4}) {
            try (Mat frame = BlendTestImages.pattern(640, 560, channels); Mat expected = frame.clone();
                    Mat swapped = BlendTestImages.pattern(128, 128, 3); Mat swapped4 = new Mat();
                    SwapMask mask = new SwapMask(); ScratchImage work1 = new ScratchImage();
                    ScratchImage work2 = new ScratchImage(); RegionView view = new RegionView();
                    FacePaste paste = new FacePaste()) {
                paste.apply(frame, swapped, cropToFrame.inverse(), BlendOptions.DEFAULT, null);
                // The same steps with every pixel of the mask's support blended.
                FaceRegion region = FaceRegion.of(cropToFrame, 128, 640, 560);
                Mat weights = mask.build(cropToFrame, 128, region, 640, 560);
                FaceRegion s = mask.support();
                FaceRegion part = new FaceRegion(region.x() + s.x(), region.y() + s.y(), s.width(), s.height());
                opencv_imgproc.cvtColor(swapped, swapped4, opencv_imgproc.COLOR_BGR2BGRA);
                FaceRegion core;
                try (Mat face = new Mat(); Mat partWeights = s.of(weights); Mat frameRegion = part.of(expected)) {
                    part.warpFromCrop(channels == 4 ? swapped4 : swapped, cropToFrame, opencv_imgproc.INTER_LINEAR, face);
                    core = OpaqueCore.of(partWeights, view);
                    Compositor.blend(frameRegion, face, partWeights, work1, work2);
                }
                assertTrue(core != null && core.width() > 200 && core.height() > 200, "the face's opaque core " + core);
                FaceRegion inFrame = new FaceRegion(part.x() + core.x(), part.y() + core.y(), core.width(), core.height());
                try (Mat copied = inFrame.of(frame); Mat blended = inFrame.of(expected)) {
                    assertEquals(0, BlendTestImages.maxDifference(copied, blended), channels + " channels, the core");
                }
                // Elsewhere the blend runs band by band: OpenCV's vector and scalar loops may round a product
                // differently.
                assertTrue(BlendTestImages.maxDifference(frame, expected) <= 1, channels + " channels");
            }
        }
    }

    /**
     * The pipeline prepares faces side by side and blends them in order: that gives the bytes pasting them one after
     * another gives, overlapping faces included (the later one on top), whatever the frame held while they prepared.
     */
    @Test
    void facesPreparedSideBySideThenBlendedInOrderGiveTheBytesOfPastingThemOneAfterAnother() {
        SimilarityTransform[] cropToFrame = {SimilarityTransform.of(1.9, 0.25, 250, 90),
                SimilarityTransform.of(2.2, -0.2, 330, 120), SimilarityTransform.of(1.2, 0.0, 20, 300)};
        BlendOptions[] options = {BlendOptions.DEFAULT, BlendOptions.DEFAULT.withSharpness(0.8),
                BlendOptions.DEFAULT.withOpacity(0.6)};
        for (int channels : new int[] {3, 4}) {
            try (Mat expected = BlendTestImages.pattern(640, 480, channels); Mat frame = expected.clone();
                    Mat untouched = expected.clone();
                    Mat a = BlendTestImages.pattern(128, 128, 3); Mat b = BlendTestImages.uniform(128, 10, 200, 30);
                    Mat c = BlendTestImages.uniform(128, 240, 20, 90); FacePaste first = new FacePaste();
                    FacePaste second = new FacePaste(); FacePaste third = new FacePaste();
                    FacePaste one = new FacePaste()) {
                Mat[] swapped = {a, b, c};
                FacePaste[] pastes = {first, second, third};
                for (int i = 0; i < 3; i++) {
                    one.apply(expected, swapped[i], cropToFrame[i].inverse(), options[i], null);
                }
                PerFace.run(3, i -> pastes[i].prepare(swapped[i],
                        cropToFrame[i].inverse(), options[i], null, null, 640, 480, channels));
                for (FacePaste paste : pastes) {
                    paste.blendInto(frame);
                }
                assertTrue(BlendTestImages.maxDifference(frame, untouched) > 0, "the faces were pasted");
                assertEquals(0, BlendTestImages.maxDifference(frame, expected), channels + " channels");
                first.blendInto(frame); // blended already: a second call changes nothing
                assertEquals(0, BlendTestImages.maxDifference(frame, expected), channels + " channels, twice");
            }
        }
    }

    @Test
    void aBgraFrameGetsTheColoursABgrFrameGets() {
        for (BlendOptions options : new BlendOptions[] {BlendOptions.DEFAULT, BlendOptions.DEFAULT.withSharpness(1.5)}) {
            try (Mat bgr = BlendTestImages.pattern(640, 480, 3); Mat bgra = new Mat(); Mat colours = new Mat();
                    Mat swapped = BlendTestImages.pattern(128, 128, 3)) {
                opencv_imgproc.cvtColor(bgr, bgra, opencv_imgproc.COLOR_BGR2BGRA);
                FacePaste.paste(bgr, swapped, FRAME_TO_CROP, options, null);
                FacePaste.paste(bgra, swapped, FRAME_TO_CROP, options, null);
                opencv_imgproc.cvtColor(bgra, colours, opencv_imgproc.COLOR_BGRA2BGR);
                assertEquals(0, BlendTestImages.maxDifference(colours, bgr), "sharpness " + options.sharpness());
            }
        }
    }

    @Test
    void aFaceOfSteadySizeAllocatesNoWorkingMemoryFrameAfterFrame() {
        try (Mat frame = BlendTestImages.pattern(1280, 720, 4); Mat swapped = BlendTestImages.pattern(128, 128, 3);
                FacePaste paste = new FacePaste()) {
            BlendOptions options = BlendOptions.DEFAULT.withSharpness(0.5);
            paste.apply(frame, swapped, SimilarityTransform.of(3.0, 0.1, 400, 100).inverse(), options, null);
            long held = paste.workingBytes();
            assertTrue(held > 0);
            for (int i = 0; i < 20; i++) {
                // A tracked face jitters by a pixel or so and turns slightly from frame to frame.
                SimilarityTransform jittered = SimilarityTransform.of(3.0 - 0.002 * (i % 3), 0.1 + 0.01 * (i % 2),
                        400 + i % 4, 100 - i % 3);
                paste.apply(frame, swapped, jittered.inverse(), options, null);
                assertEquals(held, paste.workingBytes(), "frame " + i);
            }
        }
    }

    @Test
    void aFaceOfSteadySizeAllocatesLittleJavaHeapFrameAfterFrame() {
        // Reused headers, scratch images and warp arguments: what is left is a few small Java values per face
        // (transforms, regions, OpenCV's bounding box); a native header per region or band would be ~12 KB.
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        try (Mat frame = BlendTestImages.pattern(1280, 720, 4); Mat swapped = BlendTestImages.pattern(128, 128, 3);
                FacePaste paste = new FacePaste()) {
            BlendOptions sharpened = BlendOptions.DEFAULT.withSharpness(0.5);
            BlendOptions mouthKept = BlendOptions.DEFAULT.withMouthMask(30);
            for (BlendOptions options : new BlendOptions[] {BlendOptions.DEFAULT, sharpened, mouthKept}) {
                for (double scale : new double[] {1.5, 3.0}) { // the exact and the scaled mask
                    SimilarityTransform cropToFrame = SimilarityTransform.of(scale, 0.1, 400, 100);
                    float[] mouth = options.mouthMask() > 0
                            ? ellipse(cropToFrame.apply(64, 100), 12 * scale, 5 * scale)
                            : null;
                    paste.apply(frame, swapped, cropToFrame.inverse(), options, mouth);
                    int frames = 50;
                    long before = threads.getThreadAllocatedBytes(thread);
                    for (int i = 0; i < frames; i++) {
                        paste.apply(frame, swapped, cropToFrame.inverse(), options, mouth);
                    }
                    long perFace = (threads.getThreadAllocatedBytes(thread) - before) / frames;
                    assertTrue(perFace < 4096, perFace + " bytes per face at scale " + scale + ", " + options);
                }
            }
        }
    }

    /** A 12-point polygon around (centre), as a mouth polygon in frame coordinates. */
    private static float[] ellipse(double[] centre, double rx, double ry) {
        float[] xy = new float[2 * MouthMask.POINTS];
        for (int i = 0; i < MouthMask.POINTS; i++) {
            double a = 2 * Math.PI * i / MouthMask.POINTS;
            xy[2 * i] = (float) (centre[0] + rx * Math.cos(a));
            xy[2 * i + 1] = (float) (centre[1] + ry * Math.sin(a));
        }
        return xy;
    }

    @Test
    void halfOpacityMixesFrameAndFace() {
        try (Mat frame = BlendTestImages.uniform(640, 200, 100, 0); Mat swapped = BlendTestImages.uniform(128, 0, 100, 200)) {
            FacePaste.paste(frame, swapped, FRAME_TO_CROP, BlendOptions.DEFAULT.withOpacity(0.5), null);
            double[] centre = CROP_TO_FRAME.apply(64, 64);
            UByteIndexer idx = frame.createIndexer();
            assertEquals(100, idx.get((long) centre[1], (long) centre[0], 0), 1.0);
            assertEquals(100, idx.get((long) centre[1], (long) centre[0], 1), 1.0);
            assertEquals(100, idx.get((long) centre[1], (long) centre[0], 2), 1.0);
        }
    }

    @Test
    void theMouthMaskRestoresTheOriginalMouth() {
        try (Mat frame = BlendTestImages.pattern(640, 480, 3); Mat original = frame.clone();
                Mat swapped = BlendTestImages.uniform(128, 10, 200, 30)) {
            // A mouth ellipse around the crop point (64, 100), in frame coordinates.
            float[] landmarks = new float[212];
            for (int i = 0; i < 106; i++) {
                double[] p = CROP_TO_FRAME.apply(64 + 40 * Math.cos(i), 64 + 40 * Math.sin(i));
                landmarks[2 * i] = (float) p[0];
                landmarks[2 * i + 1] = (float) p[1];
            }
            for (int i = 0; i < 12; i++) {
                double a = 2 * Math.PI * i / 12;
                double[] p = CROP_TO_FRAME.apply(64 + 16 * Math.cos(a), 92 + 6 * Math.sin(a));
                landmarks[2 * (52 + i)] = (float) p[0];
                landmarks[2 * (52 + i) + 1] = (float) p[1];
            }
            float[] polygon = MouthMask.polygon(landmarks, 30);
            FacePaste.paste(frame, swapped, FRAME_TO_CROP, BlendOptions.DEFAULT.withMouthMask(30), polygon);
            double[] mouth = CROP_TO_FRAME.apply(64, 92);
            double[] cheek = CROP_TO_FRAME.apply(64, 50);
            try (Rect mouthArea = new Rect((int) mouth[0] - 5, (int) mouth[1] - 3, 11, 7);
                    Mat now = new Mat(frame, mouthArea); Mat before = new Mat(original, mouthArea)) {
                assertEquals(0, BlendTestImages.maxDifference(now, before), "the mouth is the original");
            }
            UByteIndexer idx = frame.createIndexer();
            assertEquals(200, idx.get((long) cheek[1], (long) cheek[0], 1), 1.0, "the rest of the face is swapped");
        }
    }

    @Test
    void theMouthPolygonGrowsWithTheSliderAndDropsTheJaw() {
        float[] landmarks = new float[212];
        for (int i = 0; i < 12; i++) {
            double a = 2 * Math.PI * i / 12;
            landmarks[2 * (52 + i)] = (float) (100 + 10 * Math.cos(a));
            landmarks[2 * (52 + i) + 1] = (float) (200 + 5 * Math.sin(a));
        }
        float[] same = MouthMask.polygon(landmarks, 0);
        assertEquals(110, same[0], 1e-4); // point 52 at angle 0
        float[] grown = MouthMask.polygon(landmarks, 50); // s = 0.5: ×2, below the centre ×4
        assertEquals(120, grown[0], 1e-4);
        assertEquals(200 + 4 * 5, grown[2 * 3 + 1], 1e-3); // point 55 at 90°: straight below
        assertEquals(200 - 2 * 5, grown[2 * 9 + 1], 1e-3); // point 61 at 270°: straight above
    }
}
