package app.deeplive.engine.blend;

import app.deeplive.engine.SettingRange;

/**
 * How a swapped face is composited.
 *
 * @param opacity 0 keeps the frame, 1 shows the swapped face fully: out = (1 − o)·frame + o·swapped
 * @param sharpness unsharp-mask strength s ≥ 0 (0 = off)
 * @param colorCorrection match the swapped face's LAB statistics to the original face
 * @param mouthMask 0 (off) to 100: how far around the mouth the original is kept
 * @param occlusionMask keep what is in front of the face (hands, a microphone) where the occlusion model sees it
 */
public record BlendOptions(double opacity, double sharpness, boolean colorCorrection, int mouthMask,
        boolean occlusionMask) {
    public static final SettingRange OPACITY = new SettingRange("opacity", 0, 1);
    public static final SettingRange SHARPNESS = new SettingRange("sharpness", 0, 10);
    public static final SettingRange MOUTH_MASK = new SettingRange("mouth_mask", 0, 100);
    public static final BlendOptions DEFAULT = new BlendOptions(1.0, 0.0, false, 0, false);

    public BlendOptions {
        OPACITY.check(opacity);
        SHARPNESS.check(sharpness);
        MOUTH_MASK.check(mouthMask);
    }

    public BlendOptions withOpacity(double o) {
        return new BlendOptions(o, sharpness, colorCorrection, mouthMask, occlusionMask);
    }

    public BlendOptions withSharpness(double s) {
        return new BlendOptions(opacity, s, colorCorrection, mouthMask, occlusionMask);
    }

    public BlendOptions withColorCorrection(boolean on) {
        return new BlendOptions(opacity, sharpness, on, mouthMask, occlusionMask);
    }

    public BlendOptions withMouthMask(int slider) {
        return new BlendOptions(opacity, sharpness, colorCorrection, slider, occlusionMask);
    }

    public BlendOptions withOcclusionMask(boolean on) {
        return new BlendOptions(opacity, sharpness, colorCorrection, mouthMask, on);
    }
}
