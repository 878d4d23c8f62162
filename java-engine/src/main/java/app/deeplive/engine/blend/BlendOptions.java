package app.deeplive.engine.blend;

/**
 * How a swapped face is composited.
 *
 * @param opacity 0 keeps the frame, 1 shows the swapped face fully: out = (1 − o)·frame + o·swapped
 * @param sharpness unsharp-mask strength s ≥ 0 (0 = off)
 * @param colorCorrection match the swapped face's LAB statistics to the original face
 * @param mouthMask 0 (off) to 100: how far around the mouth the original is kept
 */
public record BlendOptions(double opacity, double sharpness, boolean colorCorrection, int mouthMask) {
    public static final BlendOptions DEFAULT = new BlendOptions(1.0, 0.0, false, 0);

    public BlendOptions {
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new IllegalArgumentException("opacity must be between 0 and 1, got " + opacity);
        }
        if (!(sharpness >= 0 && sharpness <= 10)) {
            throw new IllegalArgumentException("sharpness must be between 0 and 10, got " + sharpness);
        }
        if (mouthMask < 0 || mouthMask > 100) {
            throw new IllegalArgumentException("mouth mask must be between 0 and 100, got " + mouthMask);
        }
    }

    public BlendOptions withOpacity(double o) {
        return new BlendOptions(o, sharpness, colorCorrection, mouthMask);
    }

    public BlendOptions withSharpness(double s) {
        return new BlendOptions(opacity, s, colorCorrection, mouthMask);
    }

    public BlendOptions withColorCorrection(boolean on) {
        return new BlendOptions(opacity, sharpness, on, mouthMask);
    }

    public BlendOptions withMouthMask(int slider) {
        return new BlendOptions(opacity, sharpness, colorCorrection, slider);
    }
}
