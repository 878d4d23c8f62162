package app.deeplive.engine.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds the engine's outgoing messages: replies echo the request's id; events have none. */
final class Messages {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Messages() {}

    static ObjectNode reply(String type, JsonNode id) {
        ObjectNode m = JSON.objectNode();
        m.put("type", type);
        m.set("id", id == null ? JSON.nullNode() : id);
        return m;
    }

    static ObjectNode event(String type) {
        ObjectNode m = JSON.objectNode();
        m.put("type", type);
        return m;
    }

    static ObjectNode error(JsonNode id, ErrorCode code, String message) {
        ObjectNode m = reply("error", id);
        m.put("code", code.wireName());
        m.put("message", message);
        return m;
    }
}
