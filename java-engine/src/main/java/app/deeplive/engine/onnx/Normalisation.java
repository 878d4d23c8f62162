package app.deeplive.engine.onnx;

import ai.onnxruntime.OrtException;
import java.util.Locale;
import java.util.Map;

/**
 * The pixel normalisation (x − mean) / std each model was trained with, named per model so its constants are found
 * in one place: none of them is in the ONNX signature. 8-bit pixels go in; RGB planes of floats come out.
 */
public record Normalisation(double mean, double std) {
    /** SCRFD detectors (insightface): (x − 127.5) / 128. */
    public static final Normalisation SCRFD = new Normalisation(127.5, 128.0);
    /** ArcFace recognisers such as w600k_r50 (insightface): (x − 127.5) / 127.5. */
    public static final Normalisation ARCFACE = new Normalisation(127.5, 127.5);
    /** MobileFaceNet recogniser exports: (x − 127) / 128. */
    public static final Normalisation MOBILEFACENET = new Normalisation(127.0, 128.0);
    /** inswapper_128's target crop: x / 255. */
    public static final Normalisation INSWAPPER = new Normalisation(0, 255.0);
    /** HyperSwap's target crop (FaceFusion, mean and std 0.5 on x / 255): x / 127.5 − 1, the output mapped back. */
    public static final Normalisation HYPERSWAP = new Normalisation(127.5, 127.5);
    /** GFPGAN and GPEN enhancers: x / 127.5 − 1, the output mapped back the same way. */
    public static final Normalisation GFPGAN_GPEN = new Normalisation(127.5, 127.5);
    /** XSeg occluders (FaceFusion's xseg_1/2/3), NHWC BGR: x / 255. */
    public static final Normalisation XSEG = new Normalisation(0, 255.0);
    /** 2d106det mouth landmarks: the raw pixel values. */
    public static final Normalisation LANDMARKS = new Normalisation(0, 1.0);

    public Normalisation {
        if (!(std > 0) || !Double.isFinite(mean)) {
            throw new IllegalArgumentException("normalisation needs a finite mean and a positive std: " + mean + ", " + std);
        }
    }

    /** The same map as tensor = pixel · scale + offset: scale = 1 / std. */
    public float scale() {
        return (float) (1.0 / std);
    }

    /** The same map as tensor = pixel · scale + offset: offset = −mean / std. */
    public float offset() {
        return mean == 0 ? 0f : (float) (-mean / std);
    }

    /**
     * A recogniser's normalisation, chosen in this order: the model's metadata ({@code input_mean} / {@code input_std}
     * entries), its file name (MobileFaceNet exports use 127/128), else {@link #ARCFACE}, the convention of w600k_r50
     * and the other insightface recognisers. The two conventions differ by less than 1% of the input range, but the
     * right one keeps embeddings identical to the reference.
     */
    public static Normalisation forRecogniser(LoadedModel model) {
        try {
            Map<String, String> meta = model.session().getMetadata().getCustomMetadata();
            String mean = meta.get("input_mean");
            String std = meta.get("input_std");
            if (mean != null && std != null) {
                return new Normalisation(Double.parseDouble(mean.strip()), Double.parseDouble(std.strip()));
            }
        } catch (OrtException | NumberFormatException e) {
            // Unreadable or malformed metadata: fall back to the name.
        }
        return model.name().toLowerCase(Locale.ROOT).contains("mobilefacenet") ? MOBILEFACENET : ARCFACE;
    }
}
