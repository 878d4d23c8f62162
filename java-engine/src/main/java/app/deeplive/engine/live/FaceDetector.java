package app.deeplive.engine.live;

import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.image.FrameView;
import java.util.List;

/** Finds the faces of a frame, best first ({@code ScrfdDetector::detect} is one). Called from one thread. */
@FunctionalInterface
public interface FaceDetector {
    List<Face> detect(FrameView frame);
}
