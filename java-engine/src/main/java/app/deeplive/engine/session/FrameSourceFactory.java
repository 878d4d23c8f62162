package app.deeplive.engine.session;

/** Attaches a session to the frame channel a client names in {@code open_session}. */
@FunctionalInterface
public interface FrameSourceFactory {
    /**
     * @throws RequestRejected (NOT_FOUND, BAD_REQUEST, UNAVAILABLE…) when the channel cannot be attached
     */
    FrameSource open(String channelName, FrameLimits limits);
}
