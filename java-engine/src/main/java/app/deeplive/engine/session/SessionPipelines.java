package app.deeplive.engine.session;

import app.deeplive.engine.live.FrameIntake;
import app.deeplive.engine.live.LivePipeline;
import app.deeplive.engine.live.Passthrough;
import app.deeplive.engine.live.StreamObserver;
import app.deeplive.engine.models.FetchState;
import app.deeplive.engine.pipeline.SwapSettings;
import app.deeplive.engine.swap.Identity;
import java.util.List;
import java.util.function.Supplier;

/**
 * Makes each session's staged pipeline over the models the engine loaded once. {@code serve} picks the one that
 * matches the loaded models: the face swap, or {@link #PASSTHROUGH} without a swapper.
 */
public interface SessionPipelines {
    /**
     * Without a swapper, frames go back as they came, marked unswapped: the stream shows the real picture only
     * where the streamer chose the original as fallback, never garbage; get_stats says why.
     */
    SessionPipelines PASSTHROUGH = passthrough("swapper", null);

    /**
     * Like {@link #PASSTHROUGH}, for a session without {@code model} (e.g. "face detector"), described as
     * "passthrough: no MODEL loaded: ERROR" so the filter's status line says which model is missing and, in the
     * loader's {@code error} (null when there is none), how to get it.
     */
    static SessionPipelines passthrough(String model, String error) {
        String description = "passthrough: no " + model + " loaded" + (error == null ? "" : ": " + error);
        return new SessionPipelines() {
            @Override
            public LivePipeline create(String name, FrameIntake intake, Supplier<SessionSettings> settings,
                    StreamObserver observer) {
                return Passthrough.pipeline(name, intake, observer);
            }

            @Override
            public String description() {
                return description;
            }
        };
    }

    /**
     * A session's pipeline over {@code intake}, not started.
     *
     * @param settings the session's current snapshot, read once per frame
     * @param observer the session's limits and figures
     */
    LivePipeline create(String name, FrameIntake intake, Supplier<SessionSettings> settings, StreamObserver observer);

    /** What the sessions will run, for welcome and get_stats (e.g. "passthrough: no swapper loaded"). */
    String description();

    /**
     * What {@code options} ask for that the loaded models cannot do, one line each saying what happens instead and
     * how to fix it; empty when everything can be honoured.
     */
    default List<String> unmet(SwapSettings options) {
        return List.of();
    }

    /**
     * Starts getting, in the background, the optional models {@code options} ask for that are not loaded (see
     * {@link ModelsOnDemand}); never blocks. Does nothing by default.
     */
    default void request(SwapSettings options) {}

    /** The fetches of models {@code options} ask for that are running now; none by default. */
    default List<FetchState> downloads(SwapSettings options) {
        return List.of();
    }

    /**
     * The swap models a session may choose by name (set_options {@code swapper}): those of the manifest the engine
     * runs with; empty when nothing is swapped, and then any name is accepted and has no effect.
     */
    default List<String> swapModels() {
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
    default void checkIdentity(Identity face) {}
}
