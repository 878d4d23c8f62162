package app.deeplive.engine.enhance;

import app.deeplive.engine.onnx.ModelWrapper;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.analysis.align.FaceTemplate;
import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.blend.FeatherMask;
import app.deeplive.engine.blend.ScratchImage;
import app.deeplive.engine.onnx.LoadedModel;
import app.deeplive.engine.onnx.Normalisation;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.onnx.OrtSessions;
import app.deeplive.engine.onnx.TensorSpec;
import app.deeplive.engine.parallel.PerFace;
import app.deeplive.engine.swap.AlignedCrops;
import app.deeplive.engine.onnx.ImageTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * GFPGAN 1.4 and GPEN-BFR-256/512 (same contract): the face aligned to the FFHQ template at the model's size, RGB
 * in [−1, 1] (x/127.5 − 1), output (y + 1)·127.5, pasted back in place with a 5% linear feather, scaled by a blend
 * amount. The model's size is read from its input. When the model's batch dimension is dynamic, all faces of a
 * frame go through one run ({@link #MAX_BATCH} at most); exports fixed at batch 1 run once per face, with the same
 * result. The input, output and crop buffers are kept and reused from frame to frame, grown to the most faces seen.
 * Calls take turns (each holds this wrapper); {@link #forAnotherCaller()} makes another over the same loaded model.
 */
public final class FaceEnhancer implements ModelWrapper<FaceEnhancer> {
    /** Width of the linear feather at the crop's edge, as a fraction of its side (Deep-Live-Cam's value). */
    public static final double FEATHER = 0.05;
    /** Faces per model run at most when the batch dimension is dynamic (bounds the buffers: 3 MB a face at 512²). */
    public static final int MAX_BATCH = 8;

    private final LoadedModel model;
    private final String inputName;
    private final OnnxJavaType inputType;
    private final int size;
    private final FaceTemplate template;
    private final String outputName;
    private final OnnxJavaType outputType;
    private final boolean batched;
    private final Mat feather; // CV_8U, 255 inside, the linear ramp at the edge
    private ImageTensors tensors; // replaced by a larger one when a frame brings more faces than it holds
    // Reused per face, grown to the most faces seen: the aligned crops and the model's output for each.
    private final AlignedCrops crops;
    private final List<Mat> enhanced = new ArrayList<>();
    private final List<PasteBack> pastes = new ArrayList<>(); // one per face, grown to the most faces seen
    private final ScratchImage work1 = new ScratchImage(); // the blends', one face after another
    private final ScratchImage work2 = new ScratchImage();

    private FaceEnhancer(LoadedModel model, int sizeIfDynamic) {
        // Checked by open() before this constructor allocates its native buffers (the field initialisers run first).
        this.model = model;
        this.size = checkedSize(model, sizeIfDynamic);
        TensorSpec in = model.inputs().get(0);
        TensorSpec out = model.outputs().get(0);
        this.inputName = in.name();
        this.inputType = in.type();
        this.template = FaceTemplate.ffhq(size);
        this.crops = new AlignedCrops(size);
        this.outputName = out.name();
        this.outputType = out.type();
        // Many faces per run only when both the input's and the output's batch dimension are dynamic.
        this.batched = in.dim(0) == -1 && out.rank() == 4 && out.dim(0) == -1;
        this.tensors = ImageTensors.square(size, inputType, Normalisation.GFPGAN_GPEN, 1);
        this.feather = new Mat();
        try (Mat ramp = FeatherMask.linear(size, FEATHER)) {
            ramp.convertTo(feather, CV_8U, 255, 0);
        }
    }

    /**
     * The side of the model's square image input (or {@code sizeIfDynamic}), after checking that it takes one
     * [N, 3, S, S] float image and gives one back of the same size.
     *
     * @throws UserFacingException naming the file and the shape expected, when it is not an enhancer
     */
    private static int checkedSize(LoadedModel model, int sizeIfDynamic) {
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
        int size = dynamic ? sizeIfDynamic : (int) s[2];
        // The output is an image like the input: checked here, or a wrong model fails at its first face.
        TensorSpec out = model.outputs().get(0);
        long[] o = out.shape();
        if (o.length != 4 || (o[1] != 3 && o[1] != -1) || (o[2] != size && o[2] != -1) || (o[3] != size && o[3] != -1)
                || (out.type() != OnnxJavaType.FLOAT && out.type() != OnnxJavaType.FLOAT16)) {
            throw notEnhancer(model, "output " + out + ", expected [1, 3, " + size + ", " + size + "] float like its input");
        }
        return size;
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
            checkedSize(model, sizeIfDynamic); // before the constructor allocates anything native
            return new FaceEnhancer(model, sizeIfDynamic);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Another enhancer over the same loaded model and size, with its own buffers, for another thread: the two run at
     * the same time. Closing it frees its buffers and its handle on the model; the model closes with the last
     * enhancer over it.
     */
    public FaceEnhancer forAnotherCaller() {
        LoadedModel share = model.share();
        try {
            return new FaceEnhancer(share, size); // the size this one settled on, also for dynamic exports
        } catch (RuntimeException e) {
            share.close();
            throw e;
        }
    }

    public LoadedModel model() {
        return model;
    }

    /** Side of the model's square input (512 for GFPGAN and GPEN-BFR-512, 256 for GPEN-BFR-256). */
    public int size() {
        return size;
    }

    /** Whether the model takes several faces in one run (a dynamic batch dimension). */
    public boolean batched() {
        return batched;
    }

    /** Faces the input and output buffers hold now (grown on demand, never beyond {@link #MAX_BATCH}). */
    int batchCapacity() {
        return tensors.capacity();
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
    public synchronized void enhance(Mat frame, float[] kps, double amount) {
        enhanceAll(frame, List.of(kps), amount);
    }

    /**
     * Enhances several faces in place: every face's crop is read from the frame as it is before this call (so no
     * face is enhanced from another's enhanced pixels), then the enhanced faces are pasted back in list order: where
     * two faces' regions overlap, the later one lies on top. The model runs once for all faces (up to
     * {@link #MAX_BATCH} a run) when its batch dimension is dynamic, else once per face; the result is the same.
     *
     * @param frame 8-bit BGR/BGRA, modified only inside the faces' regions
     * @param kps each face's five keypoints
     * @param amount 0 (no change) to 1 (the enhanced faces fully)
     */
    public synchronized void enhanceAll(Mat frame, List<float[]> kps, double amount) {
        if (!(amount > 0) || kps.isEmpty()) {
            return;
        }
        int n = kps.size();
        while (enhanced.size() < n) {
            enhanced.add(new Mat());
            pastes.add(new PasteBack());
        }
        crops.reserve(n);
        // Each face's part runs beside the others' (PerFace): the crops, the tensors, the warps back.
        SimilarityTransform[] toCrop = new SimilarityTransform[n];
        Mat[] cut = new Mat[n];
        PerFace.run(n, i -> {
            toCrop[i] = cropTransform(kps.get(i));
            cut[i] = crops.cut(i, frame, toCrop[i]);
        });
        int perRun = batched ? MAX_BATCH : 1;
        for (int from = 0; from < n; from += perRun) {
            run(cut, from, Math.min(perRun, n - from));
        }
        PerFace.run(n, i -> pastes.get(i).prepare(enhanced.get(i), feather, toCrop[i].inverse(), amount,
                frame.cols(), frame.rows(), frame.channels()));
        for (int i = 0; i < n; i++) { // in order: a later face lies on top of an earlier one
            pastes.get(i).blendInto(frame, work1, work2);
        }
    }

    /** Crops {@code from .. from + n − 1} through the model in one run, into their {@link #enhanced} images. */
    private void run(Mat[] cut, int from, int n) {
        if (tensors.capacity() < n) {
            ImageTensors grown = ImageTensors.square(size, inputType, Normalisation.GFPGAN_GPEN, n);
            tensors.close();
            tensors = grown;
        }
        ImageTensors batch = tensors;
        PerFace.run(n, i -> batch.put(i, cut[from + i]));
        try {
            OnnxTensor input = tensors.pinnedInput(n); // both over our buffers, kept per batch size
            OnnxTensor output = tensors.pinnedOutput(outputType, n); // the model writes into our buffer
            try (OrtSession.Result result = model.session().run(Map.of(inputName, input),
                    Map.of(outputName, output))) {
                PerFace.run(n, i -> batch.pinnedImage(i, enhanced.get(from + i)));
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
    public synchronized void close() {
        tensors.close();
        crops.close();
        enhanced.forEach(Mat::close);
        pastes.forEach(PasteBack::close);
        work1.close();
        work2.close();
        feather.close();
        model.close();
    }
}
