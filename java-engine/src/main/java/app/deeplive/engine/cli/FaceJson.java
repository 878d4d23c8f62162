package app.deeplive.engine.cli;

import app.deeplive.engine.analysis.Face;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The JSON lines of {@code analyze}: one object per image, either its faces or the error that stopped it. */
final class FaceJson {
    static final JsonMapper MAPPER = new JsonMapper();

    private FaceJson() {}

    /** {@code {"image", "width", "height", "faces": [{"box", "score", "kps", "embedding"?}]}} */
    static ObjectNode image(String image, int width, int height, List<Face> faces) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("image", image);
        o.put("width", width);
        o.put("height", height);
        ArrayNode list = o.putArray("faces");
        for (Face f : faces) {
            list.add(face(f));
        }
        return o;
    }

    static ObjectNode error(String image, String message) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("image", image);
        o.put("error", message);
        return o;
    }

    private static ObjectNode face(Face f) {
        ObjectNode o = MAPPER.createObjectNode();
        o.putArray("box").add(f.box().x1()).add(f.box().y1()).add(f.box().x2()).add(f.box().y2());
        o.put("score", f.score());
        ArrayNode kps = o.putArray("kps");
        for (int i = 0; i < Face.KEYPOINTS; i++) {
            kps.addArray().add(f.kpX(i)).add(f.kpY(i));
        }
        if (f.hasEmbedding()) {
            ArrayNode e = o.putArray("embedding");
            for (float v : f.embedding()) {
                e.add(v);
            }
        }
        return o;
    }
}
