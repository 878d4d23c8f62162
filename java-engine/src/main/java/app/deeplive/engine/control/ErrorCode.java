package app.deeplive.engine.control;

import app.deeplive.engine.session.RequestRejected;
import java.util.Locale;

/** The {@code code} of an error reply; clients switch on these names, so they never change. */
public enum ErrorCode {
    /** A field is missing, has the wrong type or is out of range; the JSON is invalid; the length is malformed. */
    BAD_REQUEST,
    /** No hello first, or a wrong token. The connection closes. */
    AUTH,
    /** The hello asked for a protocol version this engine does not speak. The connection closes. */
    VERSION,
    UNKNOWN_TYPE,
    /** A message over the size limit (connection closes), or an image over its byte or pixel limit. */
    TOO_LARGE,
    /** No such session on this connection, or no such source image file. */
    NOT_FOUND,
    /** The engine may not read the named file. */
    FORBIDDEN,
    /** Too many connections or sessions. */
    LIMIT,
    BAD_IMAGE,
    NO_FACE,
    MODEL_MISSING,
    /** No complete message within the idle timeout (slow or silent client). The connection closes. */
    TIMEOUT,
    /** The engine cannot do this now (shutting down, frame channel cannot be attached). */
    UNAVAILABLE,
    /** A bug in the engine; the message says what failed. */
    INTERNAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ErrorCode of(RequestRejected.Reason reason) {
        return valueOf(reason.name());
    }
}
