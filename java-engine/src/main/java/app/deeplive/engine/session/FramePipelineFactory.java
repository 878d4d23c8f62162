package app.deeplive.engine.session;

/**
 * Makes each session's pipeline over the models the engine loaded once. {@code serve} picks the factory that
 * matches the loaded models; the swap stage plugs in here.
 */
public interface FramePipelineFactory {
    FramePipeline create();

    /** What the sessions will run, for welcome and get_stats (e.g. "passthrough: no swapper loaded"). */
    String description();
}
