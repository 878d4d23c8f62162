package app.deeplive.engine.control;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request the engine answers with an error reply. {@code closes} says whether the connection ends after the
 * reply (authentication failures, framing errors after which the byte stream cannot be trusted).
 */
final class ProtocolException extends RuntimeException {
    private final ErrorCode code;
    private final JsonNode id;
    private final boolean closes;

    ProtocolException(ErrorCode code, String message) {
        this(code, message, null, false);
    }

    ProtocolException(ErrorCode code, String message, JsonNode id, boolean closes) {
        super(message, null, false, false); // expected, not a bug: no stack trace needed
        this.code = code;
        this.id = id;
        this.closes = closes;
    }

    ProtocolException withId(JsonNode requestId) {
        return new ProtocolException(code, getMessage(), requestId, closes);
    }

    ErrorCode code() {
        return code;
    }

    /** The request's id when known, else null. */
    JsonNode id() {
        return id;
    }

    boolean closes() {
        return closes;
    }
}
