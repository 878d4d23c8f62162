package app.deeplive.engine.live;

/**
 * A stream's running pipeline as its owner sees it: the staged runner, plus whatever its stages hold that may be
 * freed only once the runner's threads stopped (working images, a session's model wrappers). A face swap and a
 * passthrough are both one of these, so a session runs either the same way.
 */
public interface LivePipeline extends AutoCloseable {
    StagedPipeline pipeline();

    /** Starts the runner's threads. */
    default LivePipeline start() {
        pipeline().start();
        return this;
    }

    /** Stops the runner (every frame in flight goes back to its producer), then frees what the stages held. */
    @Override
    default void close() {
        pipeline().close();
    }
}
