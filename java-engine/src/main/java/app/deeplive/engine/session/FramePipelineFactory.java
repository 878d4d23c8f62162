package app.deeplive.engine.session;

/**
 * Makes each session's pipeline over the models the engine loaded once. {@code serve} picks the factory that
 * matches the loaded models; the swap stage plugs in here.
 */
public interface FramePipelineFactory {
    FramePipeline create();

    /** What the sessions will run, for welcome and get_stats (e.g. "passthrough: no swapper loaded"). */
    String description();

    /**
     * Refuses a source face this pipeline could never use (e.g. an embedding of the wrong size for the swapper), so
     * set_source_face fails at once instead of every frame failing. Accepts anything by default.
     *
     * @throws RequestRejected with a one-line reason
     */
    default void checkIdentity(SourceFace face) {}
}
