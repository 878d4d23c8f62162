package app.deeplive.engine.session;

import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.analysis.recognize.ArcFaceRecognizer;
import app.deeplive.engine.pipeline.SourceFaces;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Finds the source identity with the real models: SCRFD detection, the largest face (the one the user meant in a
 * photo with bystanders), its ArcFace embedding. It borrows the engine's original detector and recogniser (live
 * sessions run the same loaded models through wrappers of their own): it holds each wrapper's monitor while it calls
 * it (the wrappers keep scratch buffers), so requests on several connections take turns one model call at a time.
 */
public final class AnalysisFaceFinder implements SourceFaceFinder {
    private final ScrfdDetector detector;
    private final ArcFaceRecognizer recognizer;

    /** Borrows both; whoever loaded them closes them. */
    public AnalysisFaceFinder(ScrfdDetector detector, ArcFaceRecognizer recognizer) {
        this.detector = detector;
        this.recognizer = recognizer;
    }

    @Override
    public SourceFace find(Mat bgr) {
        SourceFaces.Found found = SourceFaces.largestIn(bgr, detector, recognizer); // as `swap --source` does
        if (found == null) {
            throw new RequestRejected(RequestRejected.Reason.NO_FACE,
                    "no face in source image; choose a photo where the face is clearly visible");
        }
        Face face = found.face();
        float[] box = {face.box().x1(), face.box().y1(), face.box().x2(), face.box().y2()};
        return new SourceFace(box, face.score(), found.embedding());
    }
}
