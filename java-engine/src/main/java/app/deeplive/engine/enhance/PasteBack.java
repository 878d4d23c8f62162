package app.deeplive.engine.enhance;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.bytedeco.opencv.global.opencv_core.mixChannels;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;

import app.deeplive.engine.analysis.align.AffineWarp;
import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.blend.Compositor;
import app.deeplive.engine.blend.FaceRegion;
import app.deeplive.engine.blend.RegionView;
import app.deeplive.engine.blend.ScratchImage;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;

/**
 * One enhanced face on its way back into the frame, in two steps: {@link #prepare} warps the face and its feather
 * back to the face's region (only reading; faces prepare at the same time, each in its own PasteBack), then
 * {@link #blendInto} blends it over the frame (faces blend one after another, in order, so where regions overlap
 * the later face lies on top). The face and the feather travel as one 4-channel 8-bit image through one warp, into
 * the 8-bit blend the swap's paste-back uses: no float image. Its working images are kept from frame to frame.
 */
final class PasteBack implements AutoCloseable {
    private static final IntPointer BGR_AND_WEIGHT = new IntPointer(0, 0, 1, 1, 2, 2, 3, 3);
    private static final IntPointer WEIGHT_ONLY = new IntPointer(3, 0);

    private final Mat faceAndFeather = new Mat();
    private final MatVector pair = new MatVector(2);
    private final MatVector one = new MatVector(1);
    private final MatVector another = new MatVector(1);
    private final AffineWarp warp = new AffineWarp();
    private final ScratchImage warped = new ScratchImage();
    private final ScratchImage colours = new ScratchImage();
    private final ScratchImage weights = new ScratchImage();
    private final RegionView frameRegion = new RegionView();
    private FaceRegion region; // of the prepared face, or null: nothing to blend
    private Mat preparedColours;
    private Mat preparedWeights;

    /**
     * Warps {@code face} (the enhancer's square BGR output) and {@code feather} (CV_8U, same size) back into the
     * frame's coordinates through {@code back}, with the feather scaled by {@code amount}.
     */
    void prepare(Mat face, Mat feather, SimilarityTransform back, double amount, int frameWidth, int frameHeight,
            int frameChannels) {
        int size = face.cols();
        region = FaceRegion.of(back, size, frameWidth, frameHeight);
        if (region == null) {
            return;
        }
        faceAndFeather.create(size, size, CV_8UC4);
        pair.put(0, face).put(1, feather);
        one.put(0, faceAndFeather);
        mixChannels(pair, one, BGR_AND_WEIGHT, 4);
        int w = region.width();
        int h = region.height();
        Mat moved = warped.get(h, w, CV_8UC4);
        warp.apply(faceAndFeather, back, -region.x(), -region.y(), INTER_LINEAR, moved, w, h);
        preparedWeights = weights.get(h, w, CV_8U);
        one.put(0, moved);
        if (frameChannels == 4) {
            // The 8-bit blend keeps a BGRA frame's alpha whatever the face's 4th channel holds: use it as it is.
            another.put(0, preparedWeights);
            mixChannels(one, another, WEIGHT_ONLY, 1);
            preparedColours = moved;
        } else {
            preparedColours = colours.get(h, w, CV_8UC3);
            pair.put(0, preparedColours).put(1, preparedWeights);
            mixChannels(one, pair, BGR_AND_WEIGHT, 4);
        }
        if (amount < 1) {
            preparedWeights.convertTo(preparedWeights, -1, amount, 0.0);
        }
    }

    /** Blends the prepared face over {@code frame}, in place, inside its region; work1/2 are working memory. */
    void blendInto(Mat frame, ScratchImage work1, ScratchImage work2) {
        if (region != null) {
            Compositor.blend(frameRegion.of(frame, region), preparedColours, preparedWeights, work1, work2);
            region = null;
        }
    }

    @Override
    public void close() {
        faceAndFeather.close();
        pair.close();
        one.close();
        another.close();
        warp.close();
        warped.close();
        colours.close();
        weights.close();
        frameRegion.close();
    }
}
