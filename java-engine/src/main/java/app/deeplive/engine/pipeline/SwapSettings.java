package app.deeplive.engine.pipeline;

import app.deeplive.engine.blend.BlendOptions;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.swap.Identity;
import java.util.List;

/**
 * Everything the user can change while swapping, as one immutable snapshot: the control server hands the pipeline
 * one per frame, so a change applies from the next frame on and never half-way through one.
 *
 * @param source the identity every selected face becomes (null: only mapped faces are swapped)
 * @param manyFaces swap every face instead of the largest one (ignored when mappings are given)
 * @param mappings reference→source pairs; when not empty, only faces matching a reference are swapped
 * @param mappingThreshold the cosine similarity a face needs to match a reference
 * @param enhancer the face enhancer to run on swapped faces, or null for none
 * @param enhancerBlend 0..1, how much of the enhanced face is shown
 * @param blend opacity, sharpness, colour correction and mouth mask
 * @param detectEveryK run the detector every k-th frame (1 = every frame) and reuse tracked faces in between
 */
public record SwapSettings(
        Identity source,
        boolean manyFaces,
        List<FaceMapping> mappings,
        double mappingThreshold,
        EnhancerKind enhancer,
        double enhancerBlend,
        BlendOptions blend,
        int detectEveryK) {
    public static final double DEFAULT_MAPPING_THRESHOLD = 0.35;

    public SwapSettings {
        mappings = mappings == null ? List.of() : List.copyOf(mappings);
        if (blend == null) {
            blend = BlendOptions.DEFAULT;
        }
        if (!(mappingThreshold >= -1 && mappingThreshold <= 1)) {
            throw new IllegalArgumentException("mapping threshold must be a cosine in [-1, 1], got " + mappingThreshold);
        }
        if (!(enhancerBlend >= 0 && enhancerBlend <= 1)) {
            throw new IllegalArgumentException("enhancer blend must be between 0 and 1, got " + enhancerBlend);
        }
        if (detectEveryK < 1) {
            throw new IllegalArgumentException("detect every k must be at least 1, got " + detectEveryK);
        }
    }

    /** Swap the largest face into {@code source}, default blending, detection on every frame, no enhancer. */
    public static SwapSettings of(Identity source) {
        return new SwapSettings(source, false, List.of(), DEFAULT_MAPPING_THRESHOLD, null, 1.0, BlendOptions.DEFAULT, 1);
    }

    /** Whether anything would be swapped. */
    public boolean swapsAnything() {
        return source != null || !mappings.isEmpty();
    }

    public SwapSettings withManyFaces(boolean many) {
        return new SwapSettings(source, many, mappings, mappingThreshold, enhancer, enhancerBlend, blend, detectEveryK);
    }

    public SwapSettings withMappings(List<FaceMapping> m) {
        return new SwapSettings(source, manyFaces, m, mappingThreshold, enhancer, enhancerBlend, blend, detectEveryK);
    }

    public SwapSettings withMappingThreshold(double t) {
        return new SwapSettings(source, manyFaces, mappings, t, enhancer, enhancerBlend, blend, detectEveryK);
    }

    public SwapSettings withEnhancer(EnhancerKind kind, double amount) {
        return new SwapSettings(source, manyFaces, mappings, mappingThreshold, kind, amount, blend, detectEveryK);
    }

    public SwapSettings withBlend(BlendOptions b) {
        return new SwapSettings(source, manyFaces, mappings, mappingThreshold, enhancer, enhancerBlend, b, detectEveryK);
    }

    public SwapSettings withDetectEveryK(int k) {
        return new SwapSettings(source, manyFaces, mappings, mappingThreshold, enhancer, enhancerBlend, blend, k);
    }
}
