package app.deeplive.engine.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Assertions on engine messages that print the whole message when they fail. */
final class ObjectNodeAssert {
    private ObjectNodeAssert() {}

    static ObjectNode type(ObjectNode m, String type) {
        assertNotNull(m, "the engine closed the connection instead of answering " + type);
        assertEquals(type, m.path("type").asText(), m.toString());
        return m;
    }

    static ObjectNode error(ObjectNode m, String code) {
        type(m, "error");
        assertEquals(code, m.path("code").asText(), m.toString());
        return m;
    }
}
