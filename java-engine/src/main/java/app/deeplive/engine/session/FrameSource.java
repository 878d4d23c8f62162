package app.deeplive.engine.session;

import app.deeplive.engine.live.FrameIntake;

/**
 * Where a session's frames come from and go back to: the shared-memory frame channel in production, an in-memory
 * queue in tests. The session's pipeline takes the frames through {@link #intake()}; the session closes the source
 * only after the pipeline stopped, so no frame is ever lent from a source that is gone.
 */
public interface FrameSource extends AutoCloseable {
    FrameIntake intake();

    /** Releases the channel. Idempotent. */
    @Override
    void close();
}
