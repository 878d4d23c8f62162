package app.deeplive.engine.control;

import app.deeplive.engine.pipeline.ModelLoader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * What this engine can do, sent in {@code welcome}: the ONNX Runtime execution providers available, each model
 * role with whether it is loaded (and if not, why), and what the sessions' pipeline does.
 */
public record Capabilities(List<String> providers, Map<String, ModelLoader.Outcome> models, String pipeline) {
    public Capabilities {
        providers = List.copyOf(providers);
        models = Map.copyOf(models);
    }

    ObjectNode toJson(int maxSessions, ControlLimits limits) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode c = json.objectNode();
        providers.forEach(c.putArray("providers")::add);
        ObjectNode m = c.putObject("models");
        models.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            ObjectNode one = m.putObject(e.getKey());
            one.put("loaded", e.getValue().loaded());
            if (e.getValue().path() != null) {
                one.put("path", e.getValue().path());
            }
            if (e.getValue().error() != null) {
                one.put("error", e.getValue().error());
            }
        });
        c.put("pipeline", pipeline);
        ObjectNode l = c.putObject("limits");
        l.put("max_message_bytes", limits.maxMessageBytes());
        l.put("max_sessions", maxSessions);
        l.put("idle_timeout_ms", limits.idleTimeout().toMillis());
        return c;
    }
}
