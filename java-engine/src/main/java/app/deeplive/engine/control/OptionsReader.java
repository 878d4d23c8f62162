package app.deeplive.engine.control;

import app.deeplive.engine.session.Enhancer;
import app.deeplive.engine.session.FaceMapping;
import app.deeplive.engine.session.SessionOptions;
import app.deeplive.engine.session.SourceFace;
import app.deeplive.engine.session.SourceFaces;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reads the {@code options} object of {@code set_options}: only the fields present change. Every field is checked
 * (type, range, known name) and face mapping images are resolved to identities before anything is applied, so a
 * request either changes everything it names or nothing.
 */
final class OptionsReader {
    static final Set<String> NAMES = Set.of("many_faces", "face_mapping", "mapping_threshold", "enhancer",
            "enhancer_blend", "mouth_mask", "opacity", "sharpness", "color_correction", "detect_every");
    private static final Set<String> IMAGE_FIELDS = Set.of("path", "image");

    private final SourceFaces faces;

    OptionsReader(SourceFaces faces) {
        this.faces = faces;
    }

    /** A change to apply to the session's current options; everything has been validated already. */
    UnaryOperator<SessionOptions> read(ObjectNode options) {
        Fields f = new Fields(options, "options").allowOnly(NAMES);
        Boolean manyFaces = f.has("many_faces") ? f.bool("many_faces") : null;
        Double threshold = f.has("mapping_threshold") ? f.number("mapping_threshold", 0, 1) : null;
        Enhancer enhancer = null;
        if (f.has("enhancer")) {
            try {
                enhancer = Enhancer.fromWire(f.string("enhancer", 16));
            } catch (IllegalArgumentException e) {
                throw Fields.bad(e.getMessage());
            }
        }
        Double blend = f.has("enhancer_blend") ? f.number("enhancer_blend", 0, 1) : null;
        Double mouth = f.has("mouth_mask") ? f.number("mouth_mask", 0, 100) : null;
        Double opacity = f.has("opacity") ? f.number("opacity", 0, 1) : null;
        Double sharpness = f.has("sharpness") ? f.number("sharpness", 0, 10) : null;
        Boolean color = f.has("color_correction") ? f.bool("color_correction") : null;
        Integer detectEvery = f.has("detect_every") ? f.integer("detect_every", 1, 60) : null;
        List<FaceMapping> mapping = f.has("face_mapping") ? mapping(f.array("face_mapping", SessionOptions.MAX_FACE_MAPPINGS)) : null;

        Enhancer enhancerChange = enhancer;
        return o -> new SessionOptions(
                manyFaces != null ? manyFaces : o.manyFaces(),
                mapping != null ? mapping : o.faceMapping(),
                threshold != null ? threshold : o.mappingThreshold(),
                enhancerChange != null ? enhancerChange : o.enhancer(),
                blend != null ? blend : o.enhancerBlend(),
                mouth != null ? mouth : o.mouthMask(),
                opacity != null ? opacity : o.opacity(),
                sharpness != null ? sharpness : o.sharpness(),
                color != null ? color : o.colorCorrection(),
                detectEvery != null ? detectEvery : o.detectEvery());
    }

    private List<FaceMapping> mapping(JsonNode entries) {
        List<FaceMapping> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            if (!e.isObject()) {
                throw Fields.bad("face_mapping[" + i + "] must be an object with reference and source");
            }
            Fields entry = new Fields((ObjectNode) e, "face_mapping[" + i + "]").allowOnly(Set.of("reference", "source"));
            SourceFace reference = face(entry.object("reference"), "face_mapping[" + i + "].reference");
            SourceFace source = face(entry.object("source"), "face_mapping[" + i + "].source");
            out.add(new FaceMapping(reference, source));
        }
        return out;
    }

    /** An image given as {"path": …} or {"image": base64}: exactly one of the two. */
    SourceFace face(ObjectNode spec, String what) {
        Fields f = new Fields(spec, what).allowOnly(IMAGE_FIELDS);
        boolean path = f.has("path");
        boolean image = f.has("image");
        if (path == image) {
            throw Fields.bad(what + " needs exactly one of path or image");
        }
        return face(f, path);
    }

    /** The image named by the {@code path} field if {@code byPath}, else by the base64 {@code image} field. */
    SourceFace face(Fields f, boolean byPath) {
        return byPath ? faces.fromPath(f.string("path", 4096)) : faces.fromBase64(f.string("image", Integer.MAX_VALUE));
    }

    /** The current options as the client would send them (face mapping as its count, images are not echoed). */
    static ObjectNode toJson(SessionOptions o) {
        ObjectNode j = JsonNodeFactory.instance.objectNode();
        j.put("many_faces", o.manyFaces());
        j.put("face_mapping", o.faceMapping().size());
        j.put("mapping_threshold", o.mappingThreshold());
        j.put("enhancer", o.enhancer().wireName());
        j.put("enhancer_blend", o.enhancerBlend());
        j.put("mouth_mask", o.mouthMask());
        j.put("opacity", o.opacity());
        j.put("sharpness", o.sharpness());
        j.put("color_correction", o.colorCorrection());
        j.put("detect_every", o.detectEvery());
        return j;
    }
}
