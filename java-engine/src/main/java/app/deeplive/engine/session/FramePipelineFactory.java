package app.deeplive.engine.session;

import app.deeplive.engine.live.FrameIntake;
import app.deeplive.engine.live.LiveFaceSwap;
import java.util.List;
import java.util.function.Supplier;

/**
 * Makes each session's pipeline over the models the engine loaded once. {@code serve} picks the factory that
 * matches the loaded models; the swap stage plugs in here.
 */
public interface FramePipelineFactory {
    FramePipeline create();

    /** What the sessions will run, for welcome and get_stats (e.g. "passthrough: no swapper loaded"). */
    String description();

    /**
     * What {@code options} ask for that the loaded models cannot do, one line each saying what happens instead and
     * how to fix it; empty when everything can be honoured.
     */
    default List<String> unmet(SessionOptions options) {
        return List.of();
    }

    /** The execution provider the face swap runs on ("CUDA", "CPU", …), or null when nothing is swapped. */
    default String provider() {
        return null;
    }

    /**
     * Refuses a source face this pipeline could never use (e.g. an embedding of the wrong size for the swapper), so
     * set_source_face fails at once instead of every frame failing. Accepts anything by default.
     *
     * @throws RequestRejected with a one-line reason
     */
    default void checkIdentity(SourceFace face) {}

    /**
     * A session's pipeline on a staged runner over {@code intake} (not started), its steps overlapping consecutive
     * frames; null where this factory has none (the session then runs {@link #create()} frame by frame).
     *
     * @param settings the session's current snapshot, read once per frame
     */
    default LiveFaceSwap createStaged(String name, FrameIntake intake, Supplier<SessionSettings> settings,
            LiveFaceSwap.Observer observer) {
        return null;
    }
}
