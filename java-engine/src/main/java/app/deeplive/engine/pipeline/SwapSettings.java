package app.deeplive.engine.pipeline;

import app.deeplive.engine.SettingRange;
import app.deeplive.engine.blend.BlendOptions;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.swap.Identity;
import app.deeplive.engine.swap.PixelBoost;
import java.util.List;

/**
 * Everything the user can change while swapping, as one immutable snapshot: a live session holds one (set_options
 * changes it through the control server's options reader), the {@code swap} command builds one from its options.
 * A session's pipeline reads it once per frame, so a change applies from the next frame on and never half-way
 * through one. Each setting's default and range are defined here (and in {@link BlendOptions}), nowhere else.
 *
 * @param source the identity every selected face becomes (null: only mapped faces are swapped)
 * @param manyFaces swap every face instead of the largest one (ignored when mappings are given)
 * @param mappings reference→source pairs; when not empty, only faces matching a reference are swapped
 * @param mappingThreshold the cosine similarity a face needs to match a reference
 * @param enhancer the face enhancer to run on swapped faces, or null for none
 * @param enhancerBlend 0..1, how much of the enhanced face is shown
 * @param blend opacity, sharpness, colour correction and mouth mask
 * @param detectEveryK run the detector every k-th frame (1 = every frame) and reuse tracked faces in between
 * @param pixelBoost the size the swapper draws a face at ({@link PixelBoost}): 128 (off), 256 or 512; a 256-px
 *     swapper is boosted at 512 only
 * @param swapper the manifest name of the swapper to run (one of {@code models list}'s swap models), or null for the
 *     engine's own ({@code serve --swapper FILE}, else inswapper_128)
 */
public record SwapSettings(
        Identity source,
        boolean manyFaces,
        List<FaceMapping> mappings,
        double mappingThreshold,
        EnhancerKind enhancer,
        double enhancerBlend,
        BlendOptions blend,
        int detectEveryK,
        int pixelBoost,
        String swapper) {
    public static final SettingRange MAPPING_THRESHOLD = new SettingRange("mapping_threshold", 0, 1);
    public static final SettingRange ENHANCER_BLEND = new SettingRange("enhancer_blend", 0, 1);
    public static final SettingRange DETECT_EVERY = new SettingRange("detect_every", 1, 60);
    public static final int MAX_MAPPINGS = 16;
    /** Photos of one person a client may send, averaged into one identity (as {@code swap --source a,b,c}). */
    public static final int MAX_PHOTOS_PER_PERSON = 8;
    public static final double DEFAULT_MAPPING_THRESHOLD = 0.35;
    /** Pixel boost off: the swapper's own 128 px. */
    public static final int NO_PIXEL_BOOST = 128;

    /**
     * A live session's settings until the user changes them: nobody to swap in yet, the largest face, default
     * blending, no enhancer, the detector on every 5th frame (faces are followed by optical flow in between).
     */
    public static final SwapSettings DEFAULT =
            new SwapSettings(null, false, List.of(), DEFAULT_MAPPING_THRESHOLD, null, 1.0, BlendOptions.DEFAULT, 5,
                    NO_PIXEL_BOOST, null);

    public SwapSettings {
        mappings = mappings == null ? List.of() : List.copyOf(mappings);
        if (mappings.size() > MAX_MAPPINGS) {
            throw new IllegalArgumentException("face_mapping has at most " + MAX_MAPPINGS + " entries");
        }
        if (blend == null) {
            blend = BlendOptions.DEFAULT;
        }
        MAPPING_THRESHOLD.check(mappingThreshold);
        ENHANCER_BLEND.check(enhancerBlend);
        DETECT_EVERY.check(detectEveryK);
        PixelBoost.check(pixelBoost);
    }

    /** Swap the largest face into {@code source}, default blending, detection on every frame, no enhancer. */
    public static SwapSettings of(Identity source) {
        return DEFAULT.withSource(source).withDetectEveryK(1);
    }

    /** Whether anything would be swapped. */
    public boolean swapsAnything() {
        return source != null || !mappings.isEmpty();
    }

    public SwapSettings withSource(Identity s) {
        return new SwapSettings(s, manyFaces, mappings, mappingThreshold, enhancer, enhancerBlend, blend,
                detectEveryK, pixelBoost, swapper);
    }

    public SwapSettings withManyFaces(boolean many) {
        return new SwapSettings(source, many, mappings, mappingThreshold, enhancer, enhancerBlend, blend,
                detectEveryK, pixelBoost, swapper);
    }

    public SwapSettings withMappings(List<FaceMapping> m) {
        return new SwapSettings(source, manyFaces, m, mappingThreshold, enhancer, enhancerBlend, blend, detectEveryK,
                pixelBoost, swapper);
    }

    public SwapSettings withMappingThreshold(double t) {
        return new SwapSettings(source, manyFaces, mappings, t, enhancer, enhancerBlend, blend, detectEveryK,
                pixelBoost, swapper);
    }

    /** @param kind null for none */
    public SwapSettings withEnhancer(EnhancerKind kind) {
        return new SwapSettings(source, manyFaces, mappings, mappingThreshold, kind, enhancerBlend, blend,
                detectEveryK, pixelBoost, swapper);
    }

    public SwapSettings withEnhancer(EnhancerKind kind, double amount) {
        return new SwapSettings(source, manyFaces, mappings, mappingThreshold, kind, amount, blend, detectEveryK,
                pixelBoost, swapper);
    }

    public SwapSettings withEnhancerBlend(double amount) {
        return new SwapSettings(source, manyFaces, mappings, mappingThreshold, enhancer, amount, blend, detectEveryK,
                pixelBoost, swapper);
    }

    public SwapSettings withBlend(BlendOptions b) {
        return new SwapSettings(source, manyFaces, mappings, mappingThreshold, enhancer, enhancerBlend, b,
                detectEveryK, pixelBoost, swapper);
    }

    /** @param size 128 (off), 256 or 512 */
    public SwapSettings withPixelBoost(int size) {
        return new SwapSettings(source, manyFaces, mappings, mappingThreshold, enhancer, enhancerBlend, blend,
                detectEveryK,
                size, swapper);
    }

    /** @param name a swap model's manifest name, or null for the engine's own */
    public SwapSettings withSwapper(String name) {
        return new SwapSettings(source, manyFaces, mappings, mappingThreshold, enhancer, enhancerBlend, blend,
                detectEveryK,
                pixelBoost, name);
    }

    public SwapSettings withDetectEveryK(int k) {
        return new SwapSettings(source, manyFaces, mappings, mappingThreshold, enhancer, enhancerBlend, blend, k,
                pixelBoost, swapper);
    }
}
