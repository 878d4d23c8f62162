package app.deeplive.engine.analysis.recognize;

import ai.onnxruntime.OrtException;
import app.deeplive.engine.onnx.LoadedModel;
import java.util.Locale;
import java.util.Map;

/**
 * The pixel normalisation (x − mean) / std a recogniser was trained with. It is not in the ONNX signature, so it is
 * chosen, in this order, from the model's metadata ({@code input_mean} / {@code input_std} entries), from its file
 * name (MobileFaceNet exports use 127/128), else the ArcFace convention 127.5/127.5 of w600k_r50 and the other
 * insightface recognisers. The difference between the two conventions is below 1% of the input range, but the
 * right one keeps embeddings identical to the reference.
 */
public record InputNormalisation(double mean, double std) {
    public static final InputNormalisation ARCFACE = new InputNormalisation(127.5, 127.5);
    public static final InputNormalisation MOBILEFACENET = new InputNormalisation(127.0, 128.0);

    public InputNormalisation {
        if (!(std > 0) || !Double.isFinite(mean)) {
            throw new IllegalArgumentException("normalisation needs a finite mean and a positive std: " + mean + ", " + std);
        }
    }

    public static InputNormalisation forModel(LoadedModel model) {
        try {
            Map<String, String> meta = model.session().getMetadata().getCustomMetadata();
            String mean = meta.get("input_mean");
            String std = meta.get("input_std");
            if (mean != null && std != null) {
                return new InputNormalisation(Double.parseDouble(mean.strip()), Double.parseDouble(std.strip()));
            }
        } catch (OrtException | NumberFormatException e) {
            // Unreadable or malformed metadata: fall back to the name.
        }
        return model.name().toLowerCase(Locale.ROOT).contains("mobilefacenet") ? MOBILEFACENET : ARCFACE;
    }
}
