package app.deeplive.engine.blend;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.bytedeco.opencv.global.opencv_core.min;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2BGRA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.analysis.align.AffineWarp;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Puts a swapped face back into the frame, in place and only inside the face's region: the result is warped back
 * with the inverse of the crop transform, optionally sharpened, and blended with insightface's feathered mask scaled
 * by the opacity, with the original mouth kept where a mouth polygon is given.
 *
 * <p>All of it is 8-bit and confined to the part of the region where the mask is not 0; the region-sized working
 * images are kept from one face to the next, so pasting faces of steady size allocates no image memory.
 *
 * <p>A paste is two steps: {@link #prepare} builds the mask and warps the face back without reading the frame, so
 * several faces prepare at once, each in its own FacePaste; {@link #blendInto} writes the frame, one face after
 * another. One FacePaste serves one face at a time on one thread; close it.
 */
public final class FacePaste implements AutoCloseable {
    private final SwapMask mask = new SwapMask();
    private final MouthMask mouth = new MouthMask();
    private final ScratchImage crop = new ScratchImage();
    private final ScratchImage face = new ScratchImage();
    private final ScratchImage work1 = new ScratchImage();
    private final ScratchImage work2 = new ScratchImage();
    private final ScratchImage occlusionInRegion = new ScratchImage();
    // Headers over this frame's face region and parts of it, re-pointed per face instead of made anew.
    private final RegionView frameRegion = new RegionView();
    private final RegionView partWeights = new RegionView();
    private final RegionView frameBand = new RegionView();
    private final RegionView faceBand = new RegionView();
    private final RegionView weightBand = new RegionView();
    private final AffineWarp warp = new AffineWarp();
    // What prepare() left for blendInto(): the frame part it covers (null: nothing), its weights, face and opaque core.
    private FaceRegion part;
    private Mat partWeightsMat;
    private Mat warped;
    private FaceRegion core;

    /**
     * Pastes one face with working images made for this call (for one-off use; a stream keeps a FacePaste).
     *
     * @see #apply(Mat, Mat, SimilarityTransform, BlendOptions, float[])
     */
    public static void paste(Mat frame, Mat swapped, SimilarityTransform frameToCrop, BlendOptions options,
            float[] mouthPolygon) {
        try (FacePaste paste = new FacePaste()) {
            paste.apply(frame, swapped, frameToCrop, options, mouthPolygon);
        }
    }

    /**
     * @param frame the 8-bit BGR/BGRA frame, modified in place
     * @param swapped the model's square BGR result (after any colour correction)
     * @param frameToCrop the transform the crop was cut with
     * @param mouthPolygon the grown mouth polygon in frame coordinates (see {@link MouthMask#polygon}), or null
     */
    public void apply(Mat frame, Mat swapped, SimilarityTransform frameToCrop, BlendOptions options,
            float[] mouthPolygon) {
        apply(frame, swapped, frameToCrop, options, mouthPolygon, null);
    }

    /**
     * Like {@link #apply(Mat, Mat, SimilarityTransform, BlendOptions, float[])}, keeping the original pixels where
     * an occlusion mask says something is in front of the face.
     *
     * @param occlusion the crop's occlusion mask (8-bit, the swapped crop's size, 255 = face; {@link FaceOccluder}),
     *     or null: the blend weight becomes the smaller of the paste mask and this one, as FaceFusion combines masks
     */
    public void apply(Mat frame, Mat swapped, SimilarityTransform frameToCrop, BlendOptions options,
            float[] mouthPolygon, Mat occlusion) {
        prepare(swapped, frameToCrop, options, mouthPolygon, occlusion, frame.cols(), frame.rows(), frame.channels());
        blendInto(frame);
    }

    /**
     * The first half of a paste, which reads no frame pixels: the mask (opacity, mouth, occlusion) and the face
     * warped back, sharpened, for the frame's size and layout. Faces prepare side by side, each in its own FacePaste;
     * {@link #blendInto} then blends them one after another. Parameters as in
     * {@link #apply(Mat, Mat, SimilarityTransform, BlendOptions, float[], Mat)}.
     */
    public void prepare(Mat swapped, SimilarityTransform frameToCrop, BlendOptions options, float[] mouthPolygon,
            Mat occlusion, int frameWidth, int frameHeight, int frameChannels) {
        part = null;
        if (options.opacity() <= 0) {
            return; // opacity 0: the frame stays exactly as it was
        }
        SimilarityTransform cropToFrame = frameToCrop.inverse();
        FaceRegion region = FaceRegion.of(cropToFrame, swapped.cols(), frameWidth, frameHeight);
        if (region == null) {
            return;
        }
        Mat weights = mask.build(cropToFrame, swapped.cols(), region, frameWidth, frameHeight);
        FaceRegion support = mask.support();
        if (support == null) {
            return;
        }
        if (options.opacity() < 1) {
            weights.convertTo(weights, -1, options.opacity(), 0.0);
        }
        if (mouthPolygon != null) {
            mouth.keepOriginalMouth(weights, region, mouthPolygon, work1);
        }
        if (occlusion != null) {
            // Outside the crop the warp gives 0, where the paste mask is 0 already.
            Mat inRegion = occlusionInRegion.get(region.height(), region.width(), CV_8U);
            warp.apply(occlusion, cropToFrame, -region.x(), -region.y(), INTER_LINEAR, inRegion, region.width(),
                    region.height());
            min(weights, inRegion, weights);
        }
        // From here on only the support: where the mask is 0 the frame is left as it is anyway.
        part = new FaceRegion(region.x() + support.x(), region.y() + support.y(), support.width(), support.height());
        partWeightsMat = partWeights.of(weights, support);
        warped = face.get(part.height(), part.width(), frameChannels == 4 ? CV_8UC4 : CV_8UC3);
        if (options.sharpness() > 0 && frameChannels == 4) {
            // The blur costs per channel: sharpen the three colours, then lay them out as BGRA.
            Mat bgr = work2.get(part.height(), part.width(), CV_8UC3);
            warpIntoPart(swapped, cropToFrame, part, bgr);
            Sharpen.apply(bgr, options.sharpness(), work1);
            cvtColor(bgr, warped, COLOR_BGR2BGRA);
        } else {
            warpIntoPart(inFrameLayout(swapped, frameChannels), cropToFrame, part, warped);
            Sharpen.apply(warped, options.sharpness(), work1);
        }
        core = options.opacity() < 1 ? null : OpaqueCore.of(partWeightsMat, weightBand);
    }

    /**
     * The second half: blends the prepared face over {@code frame} (the size and layout it was prepared for), in
     * place, inside its region. Where faces overlap, the one blended later lies on top. Does nothing when nothing is
     * prepared (opacity 0, a face outside the frame), or a second time.
     */
    public void blendInto(Mat frame) {
        if (part == null) {
            return;
        }
        Mat framePart = frameRegion.of(frame, part);
        if (core == null) {
            Compositor.blend(framePart, warped, partWeightsMat, work1, work2);
        } else {
            blendAround(framePart, warped, partWeightsMat, core);
        }
        part = null;
    }

    /** The crop warped back into a {@code part}-sized image: its pixel (u, v) is frame pixel (x + u, y + v). */
    private void warpIntoPart(Mat crop, SimilarityTransform cropToFrame, FaceRegion part, Mat out) {
        warp.apply(crop, cropToFrame, -part.x(), -part.y(), INTER_LINEAR, out, part.width(), part.height());
    }

    /** Copies the face where the weights are all 255 (the same bytes the blend gives there) and blends the rest. */
    private void blendAround(Mat frameRegion, Mat warped, Mat weights, FaceRegion core) {
        int w = weights.cols(), h = weights.rows();
        int right = core.x() + core.width(), bottom = core.y() + core.height();
        // The ring around the core: above, below, left, right.
        blendBand(frameRegion, warped, weights, 0, 0, w, core.y());
        blendBand(frameRegion, warped, weights, 0, bottom, w, h - bottom);
        blendBand(frameRegion, warped, weights, 0, core.y(), core.x(), core.height());
        blendBand(frameRegion, warped, weights, right, core.y(), w - right, core.height());
        Compositor.copy(frameBand.of(frameRegion, core), faceBand.of(warped, core));
    }

    private void blendBand(Mat frameRegion, Mat warped, Mat weights, int x, int y, int width, int height) {
        if (width > 0 && height > 0) {
            Compositor.blend(frameBand.of(frameRegion, x, y, width, height), faceBand.of(warped, x, y, width, height),
                    weightBand.of(weights, x, y, width, height), work1, work2);
        }
    }

    /** The swapped crop in the frame's channel layout (converting 128² is cheap; the warp then writes BGRA). */
    private Mat inFrameLayout(Mat swapped, int channels) {
        if (channels == 3) {
            return swapped;
        }
        Mat bgra = crop.get(swapped.rows(), swapped.cols(), CV_8UC4);
        cvtColor(swapped, bgra, COLOR_BGR2BGRA);
        return bgra;
    }

    /** Bytes of native memory held for working images (they grow to the largest face seen, then stay). */
    public long workingBytes() {
        return mask.workingBytes() + crop.capacity() + face.capacity() + work1.capacity() + work2.capacity()
                + occlusionInRegion.capacity();
    }

    @Override
    public void close() {
        mask.close();
        mouth.close();
        crop.close();
        face.close();
        work1.close();
        work2.close();
        occlusionInRegion.close();
        frameRegion.close();
        partWeights.close();
        frameBand.close();
        faceBand.close();
        weightBand.close();
        warp.close();
    }
}
