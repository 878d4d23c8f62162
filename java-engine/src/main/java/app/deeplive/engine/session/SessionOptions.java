package app.deeplive.engine.session;

import java.util.List;

/**
 * How a session swaps, as the user set it in OBS. Immutable; a change makes a new instance ({@code with…}) that
 * the session swaps in whole, so a frame never sees half an update. Ranges are checked here, where they are defined.
 *
 * @param manyFaces swap every face in the frame, not only the largest
 * @param faceMapping reference→source pairs; when non-empty only faces matching a reference are swapped
 * @param mappingThreshold cosine similarity a target face needs to match a reference (0..1)
 * @param enhancer face enhancer applied after the swap
 * @param enhancerBlend how much of the enhanced face to keep (0..1)
 * @param mouthMask how much of the original mouth to keep (0..100, 0 = off)
 * @param opacity 0 = original frame, 1 = fully swapped
 * @param sharpness unsharp-mask amount on the swapped face (0..10, 0 = off)
 * @param colorCorrection match the swapped face's colours to the scene (LAB mean/std transfer)
 * @param detectEvery run the detector every k-th frame and track in between (1..60)
 */
public record SessionOptions(
        boolean manyFaces,
        List<FaceMapping> faceMapping,
        double mappingThreshold,
        Enhancer enhancer,
        double enhancerBlend,
        double mouthMask,
        double opacity,
        double sharpness,
        boolean colorCorrection,
        int detectEvery) {

    public static final int MAX_FACE_MAPPINGS = 16;
    public static final SessionOptions DEFAULT =
            new SessionOptions(false, List.of(), 0.35, Enhancer.OFF, 1.0, 0, 1.0, 0, false, 5);

    public SessionOptions {
        faceMapping = List.copyOf(faceMapping);
        if (faceMapping.size() > MAX_FACE_MAPPINGS) {
            throw new IllegalArgumentException("face_mapping has at most " + MAX_FACE_MAPPINGS + " entries");
        }
        inRange("mapping_threshold", mappingThreshold, 0, 1);
        inRange("enhancer_blend", enhancerBlend, 0, 1);
        inRange("mouth_mask", mouthMask, 0, 100);
        inRange("opacity", opacity, 0, 1);
        inRange("sharpness", sharpness, 0, 10);
        if (detectEvery < 1 || detectEvery > 60) {
            throw new IllegalArgumentException("detect_every must be 1..60, got " + detectEvery);
        }
    }

    private static void inRange(String name, double value, double min, double max) {
        // NaN fails both comparisons' negation, so it is rejected too.
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be " + trim(min) + ".." + trim(max) + ", got " + value);
        }
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
