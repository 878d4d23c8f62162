package app.deeplive.engine.swap;

import app.deeplive.engine.onnx.ModelWrapper;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.analysis.align.FaceAligner;
import app.deeplive.engine.analysis.align.FaceTemplate;
import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.onnx.ImageTensors;
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
 * A face swapper of one of the {@link SwapperFamily families}: inswapper_128 (insightface 0.7.3) or HyperSwap 256
 * (FaceFusion). The target face is cropped on the ArcFace template shifted +8 px at the model's side and fed as RGB in
 * the family's normalisation; the source identity is fed as the family wants it ({@link #latent}); the output is
 * mapped back to BGR. fp16 exports are fed and read in the element types they declare. Calls take turns (each holds this wrapper): it reuses its input and output buffers, and the tensors and
 * name maps over them, from run to run, so a run allocates nothing per face on the Java side. Another thread that
 * should not wait gets its own from {@link #forAnotherCaller()}, over the same loaded model.
 */
public final class FaceSwapper implements ModelWrapper<FaceSwapper> {
    public static final int LATENT = 512;
    /** The alignment template of both families, at 128 px; a 256-px swapper's crop is the same face at twice the scale. */
    public static final FaceTemplate TEMPLATE = FaceTemplate.INSWAPPER_128;
    /** Faces per model run at most when the model's batch dimension is dynamic. */
    public static final int MAX_BATCH = 8;

    private final LoadedModel model;
    private final SwapperFamily family;
    private final int size;
    private final String targetName;
    private final String sourceName;
    private final OnnxJavaType sourceType;
    private final OnnxJavaType targetType;
    private final float[] emap; // inswapper's; null for HyperSwap, which takes the embedding itself
    private final ImageTensors target;
    private final FloatBuffer latentFloats; // the latents, in whichever of the two the model takes
    private final ShortBuffer latentHalves;
    private final Run[] runs; // runs[n]: what a run of n faces is fed, made on first use
    private final String outputName;
    private final OnnxJavaType outputType;
    private final boolean batched;

    private FaceSwapper(LoadedModel model, SwapperFamily family, float[] emap) {
        this.model = model;
        this.family = family;
        this.size = family.size();
        this.emap = emap;
        TensorSpec targetSpec = input(model, "target", 0);
        TensorSpec sourceSpec = input(model, "source", 1);
        requireShape(model, targetSpec, 1, 3, size, size);
        requireShape(model, sourceSpec, 1, LATENT);
        if (model.outputs().isEmpty()) {
            throw notASwapper(model, "it has no output");
        }
        // HyperSwap exports may have a second output, a mask: only the first (the face) is asked for.
        requireShape(model, model.outputs().get(0), 1, 3, size, size);
        for (TensorSpec s : List.of(targetSpec, sourceSpec, model.outputs().get(0))) {
            if (s.type() != OnnxJavaType.FLOAT && s.type() != OnnxJavaType.FLOAT16) {
                throw notASwapper(model, s.name() + " is " + s.type() + ", expected float or float16");
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
        this.target = ImageTensors.square(size, targetSpec.type(), family.normalisation(), capacity);
        ByteBuffer latentBuffer = ByteBuffer.allocateDirect(capacity * LATENT * 4).order(ByteOrder.nativeOrder());
        this.latentFloats = latentBuffer.asFloatBuffer();
        this.latentHalves = latentBuffer.asShortBuffer();
        this.runs = new Run[capacity + 1];
    }

    /** The inputs and outputs of a run of n faces: tensors over this instance's buffers, and the maps naming them. */
    private record Run(OnnxTensor source, Map<String, OnnxTensor> inputs, Map<String, OnnxTensor> outputs) {}

    /**
     * Loads a swapper (fp32 or fp16): inswapper_128 with its emap, or a HyperSwap 256 model, told apart by the side
     * of its target input.
     *
     * @throws UserFacingException if the file is missing, not ONNX, or shaped like neither family
     */
    public static FaceSwapper open(Path file, OrtConfig config) {
        LoadedModel model = OrtSessions.open(file, config);
        try {
            SwapperFamily family = familyOf(model);
            return new FaceSwapper(model, family, family == SwapperFamily.INSWAPPER ? emapOf(file) : null);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The family by the target input's side; a dynamic side is inswapper's (older re-exports left it open). */
    private static SwapperFamily familyOf(LoadedModel model) {
        long[] shape = input(model, "target", 0).shape();
        long side = shape.length == 4 ? shape[3] : 0;
        // A dynamic side is taken for inswapper (older re-exports left it open); a HyperSwap export declares 256.
        SwapperFamily family = side == -1 ? SwapperFamily.INSWAPPER : SwapperFamily.ofSide(side);
        if (family == null) {
            throw notASwapper(model, "its target input is " + Arrays.toString(shape) + ", expected [1, 3, 128, 128] "
                    + "(inswapper_128) or [1, 3, 256, 256] (HyperSwap)");
        }
        return family;
    }

    private static float[] emapOf(Path file) {
        OnnxInitializers.FloatTensor emap = OnnxInitializers.last(file);
        if (!Arrays.equals(emap.dims(), new long[] {LATENT, LATENT})) {
            throw new UserFacingException("model " + file + " is not an inswapper_128 model: its last initializer '"
                    + emap.name() + "' is " + Arrays.toString(emap.dims()) + ", expected the 512x512 emap (a HyperSwap "
                    + "model is told by its [1, 3, 256, 256] target input)");
        }
        return emap.values();
    }

    /**
     * Another swapper over the same loaded model and emap (nothing is read from the file again), with its own input
     * and output buffers, for another thread: the two run at the same time. Closing it frees its buffers and its
     * handle on the model; the model closes with the last swapper over it.
     */
    public FaceSwapper forAnotherCaller() {
        LoadedModel share = model.share();
        try {
            return new FaceSwapper(share, family, emap); // the emap is only ever read
        } catch (RuntimeException e) {
            share.close();
            throw e;
        }
    }

    public SwapperFamily family() {
        return family;
    }

    /** The side of the square crop the model takes and draws: 128 for inswapper, 256 for HyperSwap. */
    public int size() {
        return size;
    }

    /** The element type the model takes its target crop in (FLOAT16 for fp16-I/O exports). */
    public OnnxJavaType targetType() {
        return targetType;
    }

    public LoadedModel model() {
        return model;
    }

    /**
     * What the model takes for a source identity: inswapper's latent normalise(embedding · emap), or for HyperSwap
     * the embedding itself, L2-normalised.
     *
     * @param normedEmbedding the 512-d ArcFace embedding (w600k_r50) of the source face
     */
    public float[] latent(float[] normedEmbedding) {
        if (normedEmbedding.length != LATENT) {
            throw new UserFacingException("the swapper needs a " + LATENT + "-d identity embedding (w600k_r50), got "
                    + normedEmbedding.length + "-d: use the ArcFace w600k_r50 recogniser");
        }
        if (emap == null) {
            return Identity.normalised(normedEmbedding); // an Identity's is unit already; a copy all the same
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

    /** The transform from frame to this model's swap crop ({@link #size()}²) for a face's five keypoints. */
    public SimilarityTransform cropTransform(float[] kps) {
        return cropTransform(kps, 1);
    }

    /** The same, to a crop {@code k} times larger (pixel boost), made in one step. */
    public SimilarityTransform cropTransform(float[] kps, int k) {
        SimilarityTransform at128 = TEMPLATE.transformFrom(kps);
        int side = size * k;
        return side == TEMPLATE.size() ? at128 : at128.scaledBy((double) side / TEMPLATE.size());
    }

    /** The {@link #size()}² BGR crop the model takes, warped from an 8-bit BGR/BGRA frame; the caller closes it. */
    public Mat crop(Mat frame, SimilarityTransform frameToCrop) {
        return FaceAligner.warp(frame, frameToCrop, size);
    }

    /**
     * Runs the model on an aligned crop.
     *
     * @param crop the {@link #size()}² BGR crop from {@link #crop}
     * @param latent the source latent from {@link #latent}
     * @return a new {@link #size()}² BGR image of the swapped face; the caller closes it
     */
    public synchronized Mat swap(Mat crop, float[] latent) {
        requireLatent(latent);
        target.put(0, crop);
        putLatent(0, latent);
        run(1);
        return target.pinnedImage(0);
    }

    /** The execution provider the swapper runs on. */
    public OrtProvider provider() {
        return model.provider();
    }

    /** Whether the model takes several faces in one run (a dynamic batch dimension). */
    public boolean batched() {
        return batched;
    }

    /**
     * Runs the model on several aligned crops: all in one run when the model's batch dimension is dynamic (up to
     * {@link #MAX_BATCH} a run), else one run each. The result is the same as {@link #swap} on each crop.
     *
     * @param crops {@link #size()}² BGR crops from {@link #crop}
     * @param latents each crop's source latent from {@link #latent}
     * @return a new swapped image per crop, in order; the caller closes them
     */
    public synchronized List<Mat> swapAll(List<Mat> crops, List<float[]> latents) {
        List<Mat> out = new ArrayList<>(crops.size());
        try {
            for (int i = 0; i < crops.size(); i++) {
                out.add(new Mat());
            }
            swapAll(crops, latents, out);
            return out;
        } catch (RuntimeException e) {
            out.forEach(Mat::close);
            throw e;
        }
    }

    /**
     * {@link #swapAll(List, List)} into images the caller keeps (each made a {@link #size()}² BGR image if it is not one
     * already): for a stream, where the same images serve frame after frame.
     *
     * @param into one image per crop, in order
     */
    public synchronized void swapAll(List<Mat> crops, List<float[]> latents, List<Mat> into) {
        if (crops.size() != latents.size() || crops.size() != into.size()) {
            throw new IllegalArgumentException(crops.size() + " crops, " + latents.size() + " latents and "
                    + into.size() + " output images");
        }
        int batch = batched ? MAX_BATCH : 1;
        for (int from = 0; from < crops.size(); from += batch) {
            int n = Math.min(batch, crops.size() - from);
            for (int i = 0; i < n; i++) {
                requireLatent(latents.get(from + i));
                target.put(i, crops.get(from + i));
                putLatent(i, latents.get(from + i));
            }
            run(n);
            for (int i = 0; i < n; i++) {
                target.pinnedImage(i, into.get(from + i));
            }
        }
    }

    /** One run on the first n crops and latents put in the buffers; the output is left in the pinned buffer. */
    private void run(int n) {
        try {
            Run run = runs[n];
            if (run == null) {
                run = runs[n] = newRun(n);
            }
            try (OrtSession.Result result = model.session().run(run.inputs(), run.outputs())) {
                // The output is in the pinned buffer already; the result owns nothing of ours.
            }
        } catch (OrtException e) {
            throw new IllegalStateException(family + " run failed: " + e.getMessage(), e);
        }
    }

    private Run newRun(int n) throws OrtException {
        OrtEnvironment env = OrtSessions.environment();
        long[] shape = {n, LATENT};
        OnnxTensor source = sourceType == OnnxJavaType.FLOAT
                ? OnnxTensor.createTensor(env, latentFloats.duplicate().limit(n * LATENT), shape)
                : OnnxTensor.createTensor(env, latentHalves.duplicate().limit(n * LATENT), shape, OnnxJavaType.FLOAT16);
        try {
            return new Run(source, Map.of(targetName, target.pinnedInput(n), sourceName, source),
                    Map.of(outputName, target.pinnedOutput(outputType, n)));
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** Writes a latent as entry {@code index} of the [n, 512] source batch, in the element type the model takes. */
    private void putLatent(int index, float[] latent) {
        if (sourceType == OnnxJavaType.FLOAT) {
            latentFloats.put(index * LATENT, latent);
            return;
        }
        for (int j = 0; j < LATENT; j++) {
            latentHalves.put(index * LATENT + j, Float16.fromFloat(latent[j]));
        }
    }

    private static void requireLatent(float[] latent) {
        if (latent.length != LATENT) {
            throw new IllegalArgumentException("latent must have " + LATENT + " values, got " + latent.length);
        }
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
        throw notASwapper(model, "it has inputs " + model.inputs() + ", expected target and source");
    }

    private static void requireShape(LoadedModel model, TensorSpec spec, long... expected) {
        long[] shape = spec.shape();
        boolean ok = shape.length == expected.length;
        for (int i = 0; ok && i < shape.length; i++) {
            ok = shape[i] == expected[i] || shape[i] == -1; // dynamic dimensions accept our fixed size
        }
        if (!ok) {
            throw notASwapper(model, spec.name() + " is " + Arrays.toString(shape) + ", expected "
                    + Arrays.toString(expected));
        }
    }

    private static UserFacingException notASwapper(LoadedModel model, String why) {
        return new UserFacingException("model " + model.file() + " is not a face swapper (" + why
                + "); pass inswapper_128.onnx, inswapper_128_fp16.onnx or a HyperSwap 256 model");
    }

    @Override
    public synchronized void close() {
        for (Run run : runs) {
            if (run != null) {
                run.source().close();
            }
        }
        target.close();
        model.close();
    }
}
