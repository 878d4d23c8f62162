package app.deeplive.engine.session;

import app.deeplive.engine.UserFacingException;

/**
 * A request about a session that cannot be honoured (unknown session, unreadable image, no face…). The message is
 * one line for the user; the reason lets the control channel answer with a precise error code.
 */
public final class RequestRejected extends UserFacingException {
    /** Why; the control protocol's error codes are these names in lower case. */
    public enum Reason {
        BAD_REQUEST, NOT_FOUND, FORBIDDEN, TOO_LARGE, BAD_IMAGE, NO_FACE, MODEL_MISSING, LIMIT, UNAVAILABLE
    }

    private final Reason reason;

    public RequestRejected(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RequestRejected(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
