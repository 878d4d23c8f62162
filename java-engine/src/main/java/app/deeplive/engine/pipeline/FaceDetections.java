package app.deeplive.engine.pipeline;

import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.track.DetectionRound;
import java.util.List;

/**
 * Where a {@link FaceSwapPipeline} gets its detection rounds: {@link InlineDetections} runs the detector on the frame
 * at once (files, where every frame may wait); the live path runs it on a thread of its own beside the stages, so
 * a detection never holds up a frame and its result arrives a few frames later.
 */
public interface FaceDetections extends AutoCloseable {
    /**
     * Asks for the faces in {@code frame}, called on the pipeline's analysis thread. The frame is only valid during
     * the call.
     *
     * @return false if the detector is still busy with an earlier frame (ask again later)
     */
    boolean request(FrameView frame, long frameNumber);

    /**
     * The faces in {@code frame}, waiting for the detector if need be (nothing to follow yet, or a face was lost: a
     * frame must not go out with a real face that a late round would have found).
     *
     * @return the round, or null if the detector failed or is closing
     */
    DetectionRound detectNow(FrameView frame, long frameNumber);

    /** Whether a round is ready as soon as it is asked for (then following faces into that frame is wasted work). */
    boolean immediate();

    /** The latest finished round not taken yet, or null; each round is returned once. */
    DetectionRound poll();

    @Override
    void close();

    /** A round for {@code frame}, detected on the calling thread. */
    static DetectionRound detectHere(ScrfdDetector detector, FrameView frame, long frameNumber) {
        long t0 = System.nanoTime();
        List<Face> faces = detector.detect(frame);
        return new DetectionRound(frameNumber, faces, System.nanoTime() - t0);
    }
}
