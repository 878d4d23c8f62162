package app.deeplive.engine.track;

import app.deeplive.engine.analysis.Face;
import java.util.List;

/**
 * The detector's faces in one frame. When detection runs beside the pipeline the round may be a few frames old by
 * the time it is used; {@link FaceTracker} moves it forward with each face's measured motion since that frame.
 *
 * @param frame the sequence number of the frame the detector looked at
 * @param faces what it found there, in that frame's coordinates
 * @param detectNanos how long the detector took
 */
public record DetectionRound(long frame, List<Face> faces, long detectNanos) {
    public DetectionRound {
        faces = List.copyOf(faces);
    }
}
