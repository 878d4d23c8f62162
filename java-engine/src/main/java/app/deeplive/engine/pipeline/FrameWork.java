package app.deeplive.engine.pipeline;

import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.swap.Identity;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One frame's work as it passes the steps of a {@link FaceSwapPipeline} (analyse → swap → composite → enhance):
 * each step reads what the earlier ones left here and adds its own results and time. The sequential
 * {@link FaceSwapPipeline#process} keeps one; the staged live runner keeps one per frame in flight, so consecutive
 * frames can be at different steps at once. Reusable: {@link FaceSwapPipeline#analyse} starts it afresh, and the
 * images the swapped faces are written into are kept from frame to frame. Close it to free them.
 */
public final class FrameWork implements AutoCloseable {
    /** A face to swap, who it becomes, and (after the swap step) its swapped crop and paste inputs. */
    static final class Target {
        final Face face;
        final Identity source;
        SimilarityTransform toCrop;
        Mat swapped;
        float[] mouth;
        /** The crop's occlusion mask (255 = face), or null when the occlusion mask is off. */
        Mat occlusion;

        Target(Face face, Identity source) {
            this.face = face;
            this.source = source;
        }
    }

    final List<Target> targets = new ArrayList<>();
    /** The swapped faces' images, one per face slot, kept with this frame's work from frame to frame. */
    private final List<Mat> swappedImages = new ArrayList<>();
    /** The faces' occlusion masks, one per face slot, kept the same way. */
    private final List<Mat> occlusionImages = new ArrayList<>();
    SwapSettings settings;
    int detected;
    int recognised;
    boolean detectionRan;
    long detectNanos;
    long recogniseNanos;
    long swapNanos;
    long landmarkNanos;
    long blendNanos;
    long enhanceNanos;

    public FrameWork() {}

    /** Faces this frame swaps (known after the analyse step). */
    public int faces() {
        return targets.size();
    }

    /** Faces recognised for face mapping on this frame. */
    public int recognised() {
        return recognised;
    }

    /** Whether the detector ran on this frame (else its faces came from the tracks). */
    public boolean detectionRan() {
        return detectionRan;
    }

    /** The steps' times on this frame so far, one by one (no record made: read per frame by the live stages). */
    public long detectNanos() {
        return detectNanos;
    }

    public long recogniseNanos() {
        return recogniseNanos;
    }

    public long swapNanos() {
        return swapNanos;
    }

    public long landmarkNanos() {
        return landmarkNanos;
    }

    public long blendNanos() {
        return blendNanos;
    }

    public long enhanceNanos() {
        return enhanceNanos;
    }

    /** What the steps so far did and where their time went. */
    public StageTimings timings() {
        return new StageTimings(detected, targets.size(), recognised, detectNanos, recogniseNanos, swapNanos, landmarkNanos,
                blendNanos, enhanceNanos);
    }

    void begin(SwapSettings snapshot) {
        releaseSwapped();
        targets.clear();
        settings = snapshot;
        detected = 0;
        recognised = 0;
        detectionRan = false;
        detectNanos = recogniseNanos = swapNanos = landmarkNanos = blendNanos = enhanceNanos = 0;
    }

    /** The image the swap step writes face {@code slot}'s swapped crop into (kept; do not close it). */
    Mat swappedImage(int slot) {
        while (swappedImages.size() <= slot) {
            swappedImages.add(new Mat());
        }
        return swappedImages.get(slot);
    }

    /** The image the swap step writes face {@code slot}'s occlusion mask into (kept; do not close it). */
    Mat occlusionImage(int slot) {
        while (occlusionImages.size() <= slot) {
            occlusionImages.add(new Mat());
        }
        return occlusionImages.get(slot);
    }

    /** Forgets the swapped faces and their masks (their images stay for the next frame). */
    void releaseSwapped() {
        for (int i = 0; i < targets.size(); i++) { // indexed: no iterator per frame
            targets.get(i).swapped = null;
            targets.get(i).occlusion = null;
        }
    }

    @Override
    public void close() {
        releaseSwapped();
        targets.clear();
        swappedImages.forEach(Mat::close);
        swappedImages.clear();
        occlusionImages.forEach(Mat::close);
        occlusionImages.clear();
    }
}
