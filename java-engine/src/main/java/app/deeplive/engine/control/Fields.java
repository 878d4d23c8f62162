package app.deeplive.engine.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Set;

/**
 * Reads one request's fields with their exact types and ranges; anything else is a {@code bad_request} naming the
 * field, so a client developer sees at once what to fix. Nothing is coerced: "1" is not a number, 1.5 not an int.
 */
final class Fields {
    private final ObjectNode message;
    private final String type;

    Fields(ObjectNode message) {
        this(message, message.path("type").asText());
    }

    /** @param context what the object is, for error messages ("options", "face_mapping[0]"…) */
    Fields(ObjectNode message, String context) {
        this.message = message;
        this.type = context;
    }

    ObjectNode node() {
        return message;
    }

    /** Rejects fields the message type does not define (a typo would otherwise be silently ignored). */
    Fields allowOnly(Set<String> names) {
        for (Iterator<String> it = message.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!names.contains(name)) {
                throw bad("unknown field '" + clip(name) + "' in " + type);
            }
        }
        return this;
    }

    boolean has(String name) {
        JsonNode v = message.get(name);
        return v != null && !v.isNull();
    }

    String string(String name, int maxLength) {
        JsonNode v = require(name);
        if (!v.isTextual()) {
            throw bad(name + " must be a string");
        }
        String s = v.textValue();
        if (s.isEmpty() || s.length() > maxLength) {
            throw bad(name + " must be 1.." + maxLength + " characters");
        }
        return s;
    }

    int integer(String name, int min, int max) {
        JsonNode v = require(name);
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
            throw bad(name + " must be an integer in " + min + ".." + max);
        }
        return v.intValue();
    }

    int integer(String name, int min, int max, int fallback) {
        return has(name) ? integer(name, min, max) : fallback;
    }

    double number(String name, double min, double max) {
        JsonNode v = require(name);
        double d = v.isNumber() ? v.doubleValue() : Double.NaN;
        if (!(d >= min && d <= max)) {
            throw bad(name + " must be a number in " + trim(min) + ".." + trim(max));
        }
        return d;
    }

    boolean bool(String name) {
        JsonNode v = require(name);
        if (!v.isBoolean()) {
            throw bad(name + " must be true or false");
        }
        return v.booleanValue();
    }

    ObjectNode object(String name) {
        JsonNode v = require(name);
        if (!v.isObject()) {
            throw bad(name + " must be an object");
        }
        return (ObjectNode) v;
    }

    JsonNode array(String name, int maxLength) {
        JsonNode v = require(name);
        if (!v.isArray() || v.size() > maxLength) {
            throw bad(name + " must be an array of at most " + maxLength + " entries");
        }
        return v;
    }

    private JsonNode require(String name) {
        JsonNode v = message.get(name);
        if (v == null || v.isNull()) {
            throw bad(name + " is required in " + type);
        }
        return v;
    }

    static ProtocolException bad(String message) {
        return new ProtocolException(ErrorCode.BAD_REQUEST, message);
    }

    /** A client-chosen string echoed in an error, cut short so the reply stays small. */
    static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
