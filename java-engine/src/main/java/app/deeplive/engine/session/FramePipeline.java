package app.deeplive.engine.session;

import app.deeplive.engine.image.FrameView;

/**
 * The per-frame work of one session: detect, swap, enhance, composite — whatever stages are loaded — done in place
 * on the frame. One instance per session, called from that session's thread only, so it may keep per-session state
 * (tracking, smoothing, scratch buffers). It must leave the frame unchanged when {@code settings} has no identity
 * or the frame has no face.
 */
public interface FramePipeline extends AutoCloseable {
    /**
     * @param settings the snapshot for this frame (read it, do not cache it across frames: it may change any time)
     * @param clock where to report per-stage times
     */
    void process(FrameView frame, SessionSettings settings, StageClock clock);

    /** False for a pipeline that never swaps (no swapper loaded): its frames go back with the faces they show. */
    default boolean swapsFaces() {
        return true;
    }

    /** Releases per-session resources (never the shared models). */
    @Override
    void close();
}
