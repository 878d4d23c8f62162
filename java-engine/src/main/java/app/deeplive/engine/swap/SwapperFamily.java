package app.deeplive.engine.swap;

import app.deeplive.engine.onnx.Normalisation;

/**
 * The face swapper contracts the engine runs. Both take the target face aligned on the same five-point template
 * (insightface's ArcFace template shifted +8 px, FaceFusion's {@code arcface_128}) at the model's side, as RGB planes,
 * and a 512-d identity from the ArcFace w600k_r50 recogniser; they differ in side, pixel normalisation and how the
 * identity is fed. Which one a file is follows from its target input's side.
 */
public enum SwapperFamily {
    /**
     * insightface's inswapper_128 (inswapper.py): target 128² RGB as x / 255, output in [0, 1]; source = the latent
     * normalise(embedding · emap), emap being the file's last initializer.
     */
    INSWAPPER("inswapper_128", 128, Normalisation.INSWAPPER),
    /**
     * FaceFusion's hyperswap_1a/1b/1c_256 (facefusion/processors/modules/face_swapper/core.py: model set entry
     * {@code type 'hyperswap', template 'arcface_128', size (256, 256), mean/std 0.5}; prepare_source_embedding feeds
     * the normed embedding as is; prepare/normalize_crop_frame map RGB to (x / 255 − 0.5) / 0.5 and back): target
     * 256² RGB in [−1, 1], source = the L2-normalised embedding, the first output the face in [−1, 1]; a second
     * output (a mask) is not read.
     */
    HYPERSWAP("hyperswap_256", 256, Normalisation.HYPERSWAP);

    private final String contract;
    private final int size;
    private final Normalisation normalisation;

    SwapperFamily(String contract, int size, Normalisation normalisation) {
        this.contract = contract;
        this.size = size;
        this.normalisation = normalisation;
    }

    /** The side of the square crop the model takes and draws. */
    public int size() {
        return size;
    }

    /** How the target crop's pixels are fed, and the output's mapped back. */
    public Normalisation normalisation() {
        return normalisation;
    }

    /** The family of a model whose target input is {@code side} pixels square, or null if none is. */
    public static SwapperFamily ofSide(long side) {
        for (SwapperFamily f : values()) {
            if (f.size == side) {
                return f;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return contract;
    }
}
