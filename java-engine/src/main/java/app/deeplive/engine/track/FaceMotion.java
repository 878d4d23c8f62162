package app.deeplive.engine.track;

import app.deeplive.engine.analysis.align.SimilarityTransform;

/**
 * A face's motion between two consecutive frames as {@link FaceFlow} measured it.
 *
 * @param transform frame coordinates in the earlier frame → in the later one (null when lost)
 * @param confidence the share of followed points that agree with the transform, 0 (lost) to 1
 * @param speed how far the face's region moved, in face widths per frame
 */
public record FaceMotion(SimilarityTransform transform, double confidence, double speed) {
    /** The face could not be followed (out of the frame, covered, blurred or changed beyond recognition). */
    public static final FaceMotion LOST = new FaceMotion(null, 0, 0);

    public boolean lost() {
        return transform == null;
    }
}
