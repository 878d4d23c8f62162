package app.deeplive.engine.session;

/** The frame source ended: its producer went away or it was closed. The session ends with this message. */
public final class FrameSourceClosedException extends RuntimeException {
    public FrameSourceClosedException(String message) {
        super(message);
    }
}
