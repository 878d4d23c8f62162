package app.deeplive.engine.control;

import app.deeplive.engine.SettingRange;
import app.deeplive.engine.blend.BlendOptions;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.pipeline.FaceMapping;
import app.deeplive.engine.pipeline.SwapSettings;
import app.deeplive.engine.swap.PixelBoost;
import app.deeplive.engine.session.SourceFace;
import app.deeplive.engine.session.SourceFaceRequests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Reads the {@code options} object of {@code set_options}: only the fields present change. Every field is checked
 * (type, range, known name) and face mapping images are resolved to identities before anything is applied, so a
 * request either changes everything it names or nothing.
 */
final class OptionsReader {
    static final Set<String> NAMES = Set.of("many_faces", "face_mapping", "mapping_threshold", "enhancer",
            "enhancer_blend", "mouth_mask", "opacity", "sharpness", "color_correction", "detect_every",
            "pixel_boost", "occlusion_mask", "swapper");
    private static final Set<String> IMAGE_FIELDS = Set.of("path", "image");
    private static final int MAX_PHOTOS_PER_PERSON = SwapSettings.MAX_PHOTOS_PER_PERSON;

    private final SourceFaceRequests faces;
    private final Supplier<List<String>> swapModels;

    /** @param swapModels the swap models a session may choose (the manifest the engine runs with) */
    OptionsReader(SourceFaceRequests faces, Supplier<List<String>> swapModels) {
        this.faces = faces;
        this.swapModels = swapModels;
    }

    /** A change to apply to the session's current options; everything has been validated already. */
    UnaryOperator<SwapSettings> read(ObjectNode options) {
        Fields f = new Fields(options, "options").allowOnly(NAMES);
        Boolean manyFaces = f.has("many_faces") ? f.bool("many_faces") : null;
        Double threshold = f.has("mapping_threshold") ? number(f, SwapSettings.MAPPING_THRESHOLD) : null;
        boolean enhancerGiven = f.has("enhancer");
        EnhancerKind enhancer = null;
        if (enhancerGiven) {
            try {
                enhancer = EnhancerKind.fromWire(f.string("enhancer", 16));
            } catch (IllegalArgumentException e) {
                throw Fields.bad(e.getMessage());
            }
        }
        Double blend = f.has("enhancer_blend") ? number(f, SwapSettings.ENHANCER_BLEND) : null;
        // A number on the wire (the plugin's slider may send 40.0); the mask itself works in whole steps.
        Integer mouth = f.has("mouth_mask") ? (int) Math.round(number(f, BlendOptions.MOUTH_MASK)) : null;
        Double opacity = f.has("opacity") ? number(f, BlendOptions.OPACITY) : null;
        Double sharpness = f.has("sharpness") ? number(f, BlendOptions.SHARPNESS) : null;
        Boolean color = f.has("color_correction") ? f.bool("color_correction") : null;
        Boolean occlusion = f.has("occlusion_mask") ? f.bool("occlusion_mask") : null;
        Integer detectEvery = f.has("detect_every") ? f.integer("detect_every",
                (int) SwapSettings.DETECT_EVERY.min(), (int) SwapSettings.DETECT_EVERY.max()) : null;
        Integer pixelBoost = f.has("pixel_boost") ? pixelBoost(f) : null;
        boolean swapperGiven = f.has("swapper");
        String swapper = swapperGiven ? swapper(f, swapModels.get()) : null;
        List<FaceMapping> mapping = f.has("face_mapping") ? mapping(f.array("face_mapping", SwapSettings.MAX_MAPPINGS)) : null;

        EnhancerKind enhancerChange = enhancer;
        return o -> {
            BlendOptions b = o.blend();
            b = new BlendOptions(opacity != null ? opacity : b.opacity(), sharpness != null ? sharpness : b.sharpness(),
                    color != null ? color : b.colorCorrection(), mouth != null ? mouth : b.mouthMask(),
                    occlusion != null ? occlusion : b.occlusionMask());
            return new SwapSettings(o.source(),
                    manyFaces != null ? manyFaces : o.manyFaces(),
                    mapping != null ? mapping : o.mappings(),
                    threshold != null ? threshold : o.mappingThreshold(),
                    enhancerGiven ? enhancerChange : o.enhancer(),
                    blend != null ? blend : o.enhancerBlend(),
                    b,
                    detectEvery != null ? detectEvery : o.detectEveryK(),
                    pixelBoost != null ? pixelBoost : o.pixelBoost(),
                    swapperGiven ? swapper : o.swapper());
        };
    }

    private static int pixelBoost(Fields f) {
        int size = f.integer("pixel_boost", PixelBoost.SIZES.get(0), PixelBoost.SIZES.get(PixelBoost.SIZES.size() - 1));
        if (!PixelBoost.SIZES.contains(size)) {
            throw Fields.bad("pixel_boost is one of " + PixelBoost.SIZES + " (128 is off), not " + size);
        }
        return size;
    }

    /**
     * A swap model's manifest name, or "" for the engine's own (null). A model whose licence forbids its use is
     * accepted here: the session's status line then says why it is not used. Without swap models (nothing is
     * swapped) any name is kept, to no effect.
     */
    private static String swapper(Fields f, List<String> known) {
        if (f.node().path("swapper").isTextual() && f.node().path("swapper").textValue().isEmpty()) {
            return null;
        }
        String name = f.string("swapper", 64);
        if (!known.isEmpty() && !known.contains(name)) {
            throw Fields.bad("swapper is one of " + known + ", or \"\" for the engine's own, not \"" + name + "\"");
        }
        return name;
    }

    private static double number(Fields f, SettingRange range) {
        return f.number(range.name(), range.min(), range.max());
    }

    /** Every entry's shape is checked before any image is read: a malformed request costs no decoding. */
    private List<FaceMapping> mapping(JsonNode entries) {
        List<List<ObjectNode>> references = new ArrayList<>();
        List<List<ObjectNode>> sources = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            if (!e.isObject()) {
                throw Fields.bad("face_mapping[" + i + "] must be an object with reference and source");
            }
            Fields entry = new Fields((ObjectNode) e, "face_mapping[" + i + "]").allowOnly(Set.of("reference", "source"));
            references.add(photosOfOnePerson(entry, "reference", "face_mapping[" + i + "].reference"));
            sources.add(photosOfOnePerson(entry, "source", "face_mapping[" + i + "].source"));
        }
        List<FaceMapping> out = new ArrayList<>();
        for (int i = 0; i < references.size(); i++) {
            out.add(new FaceMapping(averaged(references.get(i), "face_mapping[" + i + "].reference").identity(),
                    averaged(sources.get(i), "face_mapping[" + i + "].source").identity()));
        }
        return out;
    }

    /**
     * One person's photos: an image ({@code {"path": …}} or {@code {"image": base64}}), or an array of 1..8 such
     * images of the same person, whose identities are averaged.
     */
    private static List<ObjectNode> photosOfOnePerson(Fields entry, String name, String what) {
        if (!entry.node().path(name).isArray()) {
            return List.of(checkedImage(entry.object(name), what));
        }
        JsonNode photos = entry.node().get(name);
        if (photos.isEmpty() || photos.size() > MAX_PHOTOS_PER_PERSON) {
            throw Fields.bad(what + " must list 1.." + MAX_PHOTOS_PER_PERSON + " images");
        }
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            if (!photos.get(i).isObject()) {
                throw Fields.bad(what + "[" + i + "] must be an object with path or image");
            }
            out.add(checkedImage((ObjectNode) photos.get(i), what + "[" + i + "]"));
        }
        return out;
    }

    private SourceFace averaged(List<ObjectNode> photos, String what) {
        List<SourceFace> found = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            found.add(face(photos.get(i), photos.size() == 1 ? what : what + "[" + i + "]"));
        }
        return SourceFace.averaged(found);
    }

    /** {@code spec} if it names exactly one of path or image. */
    private static ObjectNode checkedImage(ObjectNode spec, String what) {
        Fields f = new Fields(spec, what).allowOnly(IMAGE_FIELDS);
        if (f.has("path") == f.has("image")) {
            throw Fields.bad(what + " needs exactly one of path or image");
        }
        return spec;
    }

    /** {@code set_source_face}'s {@code images}: 1..8 photos of one person, their identities averaged. */
    SourceFace averagedImages(Fields f) {
        if (!f.node().path("images").isArray()) {
            throw Fields.bad("images must be an array of 1.." + MAX_PHOTOS_PER_PERSON + " images");
        }
        return averaged(photosOfOnePerson(f, "images", "images"), "images");
    }

    /** An image given as {"path": …} or {"image": base64}: exactly one of the two. */
    private SourceFace face(ObjectNode spec, String what) {
        Fields f = new Fields(checkedImage(spec, what), what);
        return face(f, f.has("path"));
    }

    /** The image named by the {@code path} field if {@code byPath}, else by the base64 {@code image} field. */
    SourceFace face(Fields f, boolean byPath) {
        return byPath ? faces.fromPath(f.string("path", 4096)) : faces.fromBase64(f.string("image", Integer.MAX_VALUE));
    }

    /** The current options as the client would send them (face mapping as its count, images are not echoed). */
    static ObjectNode toJson(SwapSettings o) {
        ObjectNode j = JsonNodeFactory.instance.objectNode();
        j.put("many_faces", o.manyFaces());
        j.put("face_mapping", o.mappings().size());
        j.put("mapping_threshold", o.mappingThreshold());
        j.put("enhancer", EnhancerKind.wireName(o.enhancer()));
        j.put("enhancer_blend", o.enhancerBlend());
        j.put("mouth_mask", o.blend().mouthMask());
        j.put("opacity", o.blend().opacity());
        j.put("sharpness", o.blend().sharpness());
        j.put("color_correction", o.blend().colorCorrection());
        j.put("detect_every", o.detectEveryK());
        j.put("pixel_boost", o.pixelBoost());
        j.put("occlusion_mask", o.blend().occlusionMask());
        j.put("swapper", o.swapper() == null ? "" : o.swapper());
        return j;
    }
}
