package app.deeplive.engine.enhance;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.analysis.align.FaceAligner;
import app.deeplive.engine.analysis.align.FaceTemplate;
import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.blend.Compositor;
import app.deeplive.engine.blend.FaceRegion;
import app.deeplive.engine.onnx.LoadedModel;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.onnx.OrtSessions;
import app.deeplive.engine.onnx.TensorSpec;
import app.deeplive.engine.blend.FeatherMask;
import app.deeplive.engine.swap.ImageTensors;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * GFPGAN 1.4 and GPEN-BFR-256/512 (same contract): the face aligned to the FFHQ template at the model's size, RGB
 * in [−1, 1] (x/127.5 − 1), output (y + 1)·127.5, pasted back in place with a 5% linear feather, scaled by a blend
 * amount. The model's size is read from its input. Not thread-safe.
 */
public final class FaceEnhancer implements AutoCloseable {
    /** Width of the linear feather at the crop's edge, as a fraction of its side (Deep-Live-Cam's value). */
    public static final double FEATHER = 0.05;

    private final LoadedModel model;
    private final String inputName;
    private final int size;
    private final FaceTemplate template;
    private final ImageTensors tensors;
    private final String outputName;
    private final OnnxJavaType outputType;
    private final Mat feather;

    private FaceEnhancer(LoadedModel model, int sizeIfDynamic) {
        this.model = model;
        if (model.inputs().size() != 1 || model.outputs().isEmpty()) {
            throw notEnhancer(model, "it has " + model.inputs().size() + " inputs");
        }
        TensorSpec in = model.inputs().get(0);
        long[] s = in.shape();
        boolean dynamic = s.length == 4 && s[2] == -1 && s[3] == -1;
        if (s.length != 4 || (s[1] != 3 && s[1] != -1) || (!dynamic && (s[2] <= 0 || s[2] != s[3]))
                || (dynamic && sizeIfDynamic <= 0)
                || (in.type() != OnnxJavaType.FLOAT && in.type() != OnnxJavaType.FLOAT16)) {
            throw notEnhancer(model, "input " + in + ", expected [1, 3, S, S] float");
        }
        this.inputName = in.name();
        this.size = dynamic ? sizeIfDynamic : (int) s[2];
        this.template = FaceTemplate.ffhq(size);
        this.tensors = new ImageTensors(size, in.type(), 1f / 127.5f, -1f);
        this.outputName = model.outputs().get(0).name();
        this.outputType = model.outputs().get(0).type();
        this.feather = FeatherMask.linear(size, FEATHER);
    }

    /** Loads an enhancer model; its input size decides the template. */
    public static FaceEnhancer open(Path file, OrtConfig config) {
        return open(file, config, 0);
    }

    /**
     * Loads an enhancer model; its input size decides the template, or {@code sizeIfDynamic} (e.g. the
     * {@link EnhancerKind#size()}) for exports with dynamic height and width.
     */
    public static FaceEnhancer open(Path file, OrtConfig config, int sizeIfDynamic) {
        LoadedModel model = OrtSessions.open(file, config);
        try {
            return new FaceEnhancer(model, sizeIfDynamic);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Side of the model's square input (512 for GFPGAN and GPEN-BFR-512, 256 for GPEN-BFR-256). */
    public int size() {
        return size;
    }

    /** The transform from the frame to this enhancer's FFHQ crop for a face's keypoints. */
    public SimilarityTransform cropTransform(float[] kps) {
        return template.transformFrom(kps);
    }

    /**
     * Enhances the face with keypoints {@code kps} in place.
     *
     * @param frame 8-bit BGR/BGRA, modified only inside the face's region
     * @param amount 0 (no change) to 1 (the enhanced face fully)
     */
    public void enhance(Mat frame, float[] kps, double amount) {
        if (!(amount > 0)) {
            return;
        }
        SimilarityTransform toCrop = cropTransform(kps);
        try (Mat crop = FaceAligner.warp(frame, toCrop, size); Mat enhanced = run(crop)) {
            SimilarityTransform back = toCrop.inverse();
            FaceRegion region = FaceRegion.of(back, size, frame.cols(), frame.rows());
            if (region == null) {
                return;
            }
            try (Mat face = region.warpFromCrop(enhanced, back, INTER_LINEAR);
                    Mat weights = region.warpFromCrop(feather, back, INTER_LINEAR);
                    Mat frameRegion = region.of(frame)) {
                if (amount < 1) {
                    weights.convertTo(weights, weights.type(), Math.min(1, amount), 0.0);
                }
                Compositor.blend(frameRegion, face, weights);
            }
        }
    }

    /** The model's output for an aligned BGR crop, as a new BGR image. */
    Mat run(Mat crop) {
        try (OnnxTensor tensor = tensors.toTensor(OrtSessions.environment(), crop)) {
            OnnxTensor output = tensors.pinnedOutput(OrtSessions.environment(), outputType); // written in place
            try (OrtSession.Result result = model.session().run(Map.of(inputName, tensor),
                    Map.of(outputName, output))) {
                return tensors.toImage(output);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("face enhancer run failed: " + e.getMessage(), e);
        }
    }

    private static UserFacingException notEnhancer(LoadedModel model, String why) {
        return new UserFacingException("model " + model.file() + " is not a GFPGAN/GPEN face enhancer (" + why
                + "); pass GFPGANv1.4.onnx, GPEN-BFR-256.onnx or GPEN-BFR-512.onnx");
    }

    @Override
    public void close() {
        tensors.close();
        feather.close();
        model.close();
    }
}
