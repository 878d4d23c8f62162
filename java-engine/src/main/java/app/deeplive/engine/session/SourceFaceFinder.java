package app.deeplive.engine.session;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Finds the identity in a source image: detect, pick the largest face, embed it. Shared by all sessions (the
 * models are loaded once), so implementations must be safe to call from several threads.
 */
@FunctionalInterface
public interface SourceFaceFinder {
    /**
     * @param bgr a decoded 8-bit BGR image (not retained)
     * @throws RequestRejected NO_FACE when the image has no face, MODEL_MISSING when a model is not loaded
     */
    SourceFace find(Mat bgr);

    /** The finder of an engine that could not load its detector or recogniser: says which and how to get it. */
    static SourceFaceFinder missing(String why) {
        return bgr -> {
            throw new RequestRejected(RequestRejected.Reason.MODEL_MISSING, why);
        };
    }
}
