package app.deeplive.engine.swap;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.analysis.align.FaceAligner;
import app.deeplive.engine.analysis.align.FaceTemplate;
import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.onnx.LoadedModel;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.onnx.OrtSessions;
import app.deeplive.engine.onnx.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The inswapper_128 contract (insightface 0.7.3): the target face cropped to 128×128 on the ArcFace template shifted
 * +8 px, fed as RGB/255; the source identity fed as latent = normalise(embedding · emap), emap being the model file's
 * last initializer; the output RGB in [0, 1] back to BGR. fp16 exports are fed and read in the element types they
 * declare. One instance serves one thread at a time (it reuses its input buffers).
 */
public final class InSwapper implements AutoCloseable {
    public static final int SIZE = 128;
    public static final int LATENT = 512;
    public static final FaceTemplate TEMPLATE = FaceTemplate.INSWAPPER_128;
    /** Faces per model run at most when the model's batch dimension is dynamic. */
    public static final int MAX_BATCH = 8;

    private final LoadedModel model;
    private final String targetName;
    private final String sourceName;
    private final OnnxJavaType sourceType;
    private final OnnxJavaType targetType;
    private final float[] emap;
    private final ImageTensors target;
    private final ByteBuffer latentBuffer;
    private final String outputName;
    private final OnnxJavaType outputType;
    private final boolean batched;

    private InSwapper(LoadedModel model, float[] emap) {
        this.model = model;
        this.emap = emap;
        TensorSpec targetSpec = input(model, "target", 0);
        TensorSpec sourceSpec = input(model, "source", 1);
        requireShape(model, targetSpec, 1, 3, SIZE, SIZE);
        requireShape(model, sourceSpec, 1, LATENT);
        if (model.outputs().isEmpty()) {
            throw notInswapper(model, "it has no output");
        }
        requireShape(model, model.outputs().get(0), 1, 3, SIZE, SIZE);
        for (TensorSpec s : List.of(targetSpec, sourceSpec, model.outputs().get(0))) {
            if (s.type() != OnnxJavaType.FLOAT && s.type() != OnnxJavaType.FLOAT16) {
                throw notInswapper(model, s.name() + " is " + s.type() + ", expected float or float16");
            }
        }
        this.targetName = targetSpec.name();
        this.sourceName = sourceSpec.name();
        this.sourceType = sourceSpec.type();
        this.targetType = targetSpec.type();
        this.outputName = model.outputs().get(0).name();
        this.outputType = model.outputs().get(0).type();
        // A dynamic batch dimension on every tensor: all faces of a frame go through one run.
        this.batched = targetSpec.shape()[0] == -1 && sourceSpec.shape()[0] == -1
                && model.outputs().get(0).shape()[0] == -1;
        int capacity = batched ? MAX_BATCH : 1;
        this.target = new ImageTensors(SIZE, targetSpec.type(), 1f / 255f, 0f, capacity);
        this.latentBuffer = ByteBuffer.allocateDirect(capacity * LATENT * 4).order(ByteOrder.nativeOrder());
    }

    /**
     * Loads an inswapper_128 model (fp32 or fp16) and its emap.
     *
     * @throws UserFacingException if the file is missing, not ONNX, or not shaped like inswapper_128
     */
    public static InSwapper open(Path file, OrtConfig config) {
        OnnxInitializers.FloatTensor emap = OnnxInitializers.last(file);
        if (!Arrays.equals(emap.dims(), new long[] {LATENT, LATENT})) {
            throw new UserFacingException("model " + file + " is not an inswapper_128 model: its last initializer '"
                    + emap.name() + "' is " + Arrays.toString(emap.dims()) + ", expected the 512x512 emap");
        }
        LoadedModel model = OrtSessions.open(file, config);
        try {
            return new InSwapper(model, emap.values());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The element type the model takes its target crop in (FLOAT16 for fp16-I/O exports). */
    public OnnxJavaType targetType() {
        return targetType;
    }

    public LoadedModel model() {
        return model;
    }

    /**
     * The latent the model takes for a source identity: normalise(embedding · emap).
     *
     * @param normedEmbedding the 512-d ArcFace embedding (w600k_r50) of the source face
     */
    public float[] latent(float[] normedEmbedding) {
        if (normedEmbedding.length != LATENT) {
            throw new UserFacingException("the swapper needs a " + LATENT + "-d identity embedding (w600k_r50), got "
                    + normedEmbedding.length + "-d: use the ArcFace w600k_r50 recogniser");
        }
        double[] out = new double[LATENT];
        for (int i = 0; i < LATENT; i++) {
            double e = normedEmbedding[i];
            if (e == 0) {
                continue;
            }
            int row = i * LATENT;
            for (int j = 0; j < LATENT; j++) {
                out[j] += e * emap[row + j];
            }
        }
        double norm = 0;
        for (double v : out) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        if (!(norm > 0)) {
            throw new IllegalArgumentException("the identity embedding projects to zero");
        }
        float[] latent = new float[LATENT];
        for (int j = 0; j < LATENT; j++) {
            latent[j] = (float) (out[j] / norm);
        }
        return latent;
    }

    /** The transform from frame to the 128² swap crop for a face's five keypoints. */
    public static SimilarityTransform cropTransform(float[] kps) {
        return TEMPLATE.transformFrom(kps);
    }

    /** The 128×128 BGR crop the model takes, warped from an 8-bit BGR/BGRA frame; the caller closes it. */
    public static Mat crop(Mat frame, SimilarityTransform frameToCrop) {
        return FaceAligner.warp(frame, frameToCrop, SIZE);
    }

    /**
     * Runs the model on an aligned crop.
     *
     * @param crop128 the 128×128 BGR crop from {@link #crop}
     * @param latent the source latent from {@link #latent}
     * @return a new 128×128 BGR image of the swapped face; the caller closes it
     */
    public Mat swap(Mat crop128, float[] latent) {
        if (latent.length != LATENT) {
            throw new IllegalArgumentException("latent must have " + LATENT + " values, got " + latent.length);
        }
        OrtEnvironment env = OrtSessions.environment();
        try (OnnxTensor targetTensor = target.toTensor(env, crop128);
                OnnxTensor sourceTensor = sourceTensor(env, List.of(latent), 0, 1)) {
            OnnxTensor output = target.pinnedOutput(env, outputType); // the model writes into our buffer
            try (OrtSession.Result result = model.session().run(Map.of(targetName, targetTensor, sourceName,
                    sourceTensor), Map.of(outputName, output))) {
                return target.toImage(output);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("inswapper run failed: " + e.getMessage(), e);
        }
    }

    /** Whether the model takes several faces in one run (a dynamic batch dimension). */
    public boolean batched() {
        return batched;
    }

    /**
     * Runs the model on several aligned crops: all in one run when the model's batch dimension is dynamic (up to
     * {@link #MAX_BATCH} a run), else one run each. The result is the same as {@link #swap} on each crop.
     *
     * @param crops 128×128 BGR crops from {@link #crop}
     * @param latents each crop's source latent from {@link #latent}
     * @return a new swapped image per crop, in order; the caller closes them
     */
    public List<Mat> swapAll(List<Mat> crops, List<float[]> latents) {
        if (crops.size() != latents.size()) {
            throw new IllegalArgumentException(crops.size() + " crops but " + latents.size() + " latents");
        }
        List<Mat> out = new ArrayList<>(crops.size());
        try {
            if (!batched) {
                for (int i = 0; i < crops.size(); i++) {
                    out.add(swap(crops.get(i), latents.get(i)));
                }
                return out;
            }
            OrtEnvironment env = OrtSessions.environment();
            for (int from = 0; from < crops.size(); from += MAX_BATCH) {
                int n = Math.min(MAX_BATCH, crops.size() - from);
                for (int i = 0; i < n; i++) {
                    if (latents.get(from + i).length != LATENT) {
                        throw new IllegalArgumentException("latent must have " + LATENT + " values, got "
                                + latents.get(from + i).length);
                    }
                    target.put(i, crops.get(from + i));
                }
                try (OnnxTensor targetTensor = target.inputTensor(env, n);
                        OnnxTensor sourceTensor = sourceTensor(env, latents, from, n)) {
                    OnnxTensor output = target.pinnedOutput(env, outputType, n);
                    try (OrtSession.Result result = model.session().run(Map.of(targetName, targetTensor, sourceName,
                            sourceTensor), Map.of(outputName, output))) {
                        for (int i = 0; i < n; i++) {
                            out.add(target.pinnedImage(i));
                        }
                    }
                }
            }
            return out;
        } catch (OrtException | RuntimeException e) {
            out.forEach(Mat::close);
            if (e instanceof OrtException) {
                throw new IllegalStateException("inswapper run failed: " + e.getMessage(), e);
            }
            throw (RuntimeException) e;
        }
    }

    /** The latents {@code from .. from + n − 1} as one [n, 512] tensor over the reusable latent buffer. */
    private OnnxTensor sourceTensor(OrtEnvironment env, List<float[]> latents, int from, int n) throws OrtException {
        long[] shape = {n, LATENT};
        if (sourceType == OnnxJavaType.FLOAT) {
            FloatBuffer f = latentBuffer.asFloatBuffer();
            for (int i = 0; i < n; i++) {
                f.put(i * LATENT, latents.get(from + i));
            }
            return OnnxTensor.createTensor(env, f.limit(n * LATENT), shape);
        }
        ShortBuffer h = latentBuffer.asShortBuffer();
        for (int i = 0; i < n; i++) {
            float[] latent = latents.get(from + i);
            for (int j = 0; j < LATENT; j++) {
                h.put(i * LATENT + j, Float16.fromFloat(latent[j]));
            }
        }
        return OnnxTensor.createTensor(env, h.limit(n * LATENT), shape, OnnxJavaType.FLOAT16);
    }

    private static TensorSpec input(LoadedModel model, String name, int fallbackIndex) {
        for (TensorSpec s : model.inputs()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        // Re-exports may rename inputs; insightface feeds them by position (target first, source second).
        if (model.inputs().size() == 2) {
            return model.inputs().get(fallbackIndex);
        }
        throw notInswapper(model, "it has inputs " + model.inputs() + ", expected target and source");
    }

    private static void requireShape(LoadedModel model, TensorSpec spec, long... expected) {
        long[] shape = spec.shape();
        boolean ok = shape.length == expected.length;
        for (int i = 0; ok && i < shape.length; i++) {
            ok = shape[i] == expected[i] || shape[i] == -1; // dynamic dimensions accept our fixed size
        }
        if (!ok) {
            throw notInswapper(model, spec.name() + " is " + Arrays.toString(shape) + ", expected "
                    + Arrays.toString(expected));
        }
    }

    private static UserFacingException notInswapper(LoadedModel model, String why) {
        return new UserFacingException("model " + model.file() + " is not an inswapper_128 model (" + why
                + "); pass inswapper_128.onnx or inswapper_128_fp16.onnx");
    }

    @Override
    public void close() {
        target.close();
        model.close();
    }
}
