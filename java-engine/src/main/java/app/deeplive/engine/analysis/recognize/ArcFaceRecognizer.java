package app.deeplive.engine.analysis.recognize;

import app.deeplive.engine.onnx.ModelWrapper;
import app.deeplive.engine.onnx.Normalisation;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.analysis.align.FaceAligner;
import app.deeplive.engine.analysis.align.FaceTemplate;
import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.onnx.LoadedModel;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.onnx.OrtSessions;
import app.deeplive.engine.onnx.ImageTensors;
import app.deeplive.engine.onnx.TensorSpec;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Identity embeddings from ArcFace-style recognisers (w600k_r50, MobileFaceNet, …): the face is warped onto the
 * ArcFace 112 template straight from the frame (BGR or BGRA), fed as planar RGB (x − mean) / std, and the output
 * vector of whatever length is L2-normalised. Calls take turns (each holds this wrapper:
 * its buffers serve one run at a time); {@link #forAnotherCaller()} makes another over the same loaded model.
 */
public final class ArcFaceRecognizer implements ModelWrapper<ArcFaceRecognizer> {
    private static final FaceTemplate TEMPLATE = FaceTemplate.ARCFACE_112;
    /** The shortest embedding taken for one: MobileFaceNet's is 128, ArcFace's 512. */
    private static final int MIN_EMBEDDING = 64;

    private final LoadedModel model;
    private final Normalisation normalisation;
    private final String inputName;
    private final ImageTensors input;
    private final Mat crop = new Mat();
    private RecognitionTimings timings = new RecognitionTimings(0, 0);

    /** Loads {@code modelFile} through {@link OrtSessions}, normalisation chosen by {@link Normalisation#forRecogniser}. */
    public static ArcFaceRecognizer open(Path modelFile, OrtConfig config) {
        LoadedModel model = OrtSessions.open(modelFile, config);
        return new ArcFaceRecognizer(model, Normalisation.forRecogniser(model));
    }

    /** Takes ownership of {@code model} (closed here if it is not a usable recogniser). */
    public ArcFaceRecognizer(LoadedModel model, Normalisation normalisation) {
        this.model = model;
        this.normalisation = normalisation;
        this.input = ImageTensors.square(TEMPLATE.size(), OnnxJavaType.FLOAT, normalisation, 1);
        try {
            this.inputName = checkSignature(model);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Another recogniser over the same loaded model and normalisation, with its own crop and input buffer, for
     * another thread: the two run at the same time. Closing it frees its buffers and its handle on the model; the
     * model closes with the last recogniser over it.
     */
    public ArcFaceRecognizer forAnotherCaller() {
        return new ArcFaceRecognizer(model.share(), normalisation);
    }

    /** The L2-normalised embedding of the face with keypoints {@code kps} in {@code frame} (8-bit BGR or BGRA). */
    public synchronized float[] embed(Mat frame, float[] kps) {
        long t0 = System.nanoTime();
        SimilarityTransform toTemplate = TEMPLATE.transformFrom(kps);
        FaceAligner.warpKeepingFormat(frame, toTemplate, TEMPLATE.size(), crop);
        input.put(0, crop);
        long t1 = System.nanoTime();
        float[] embedding;
        try (OrtSession.Result result = model.session().run(Map.of(inputName, input.pinnedInput(1)))) {
            OnnxValue out = result.get(0);
            if (!(out instanceof OnnxTensor t) || t.getInfo().type != OnnxJavaType.FLOAT) {
                throw new IllegalStateException("recogniser output is not a float tensor: " + out.getInfo());
            }
            embedding = normalised(t.getFloatBuffer());
        } catch (OrtException e) {
            throw new IllegalStateException("face recogniser run failed: " + e.getMessage(), e);
        }
        timings = new RecognitionTimings(t1 - t0, System.nanoTime() - t1);
        return embedding;
    }

    /** The same face with its embedding. */
    public synchronized Face recognise(Mat frame, Face face) {
        return face.withEmbedding(embed(frame, face.kps()));
    }

    /** Every face with its embedding, in the same order. */
    public synchronized List<Face> recogniseAll(FrameView frame, List<Face> faces) {
        List<Face> out = new ArrayList<>(faces.size());
        for (Face f : faces) {
            out.add(recognise(frame.mat(), f));
        }
        return out;
    }

    /** Cosine similarity of two embeddings (for normalised ones, their dot product). */
    public static float cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embeddings differ in length: " + a.length + " and " + b.length);
        }
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * (double) b[i];
            na += a[i] * (double) a[i];
            nb += b[i] * (double) b[i];
        }
        return na == 0 || nb == 0 ? 0f : (float) (dot / Math.sqrt(na * nb));
    }

    public Normalisation normalisation() {
        return normalisation;
    }

    /** The time split of the last {@link #embed}. */
    public RecognitionTimings lastTimings() {
        return timings;
    }

    public LoadedModel model() {
        return model;
    }

    @Override
    public synchronized void close() {
        crop.close();
        input.close();
        model.close();
    }

    private static float[] normalised(FloatBuffer raw) {
        float[] e = new float[raw.remaining()];
        raw.get(e);
        double sum = 0;
        for (float v : e) {
            sum += v * (double) v;
        }
        if (!(sum > 0) || !Double.isFinite(sum)) {
            throw new IllegalStateException("recogniser returned a zero or non-finite embedding");
        }
        float inv = (float) (1 / Math.sqrt(sum));
        for (int i = 0; i < e.length; i++) {
            e[i] *= inv;
        }
        return e;
    }

    private static String checkSignature(LoadedModel model) {
        List<TensorSpec> ins = model.inputs();
        TensorSpec in = ins.size() == 1 ? ins.get(0) : null;
        boolean ok = in != null && in.rank() == 4 && in.type() == OnnxJavaType.FLOAT && fits(in.dim(0), 1)
                && fits(in.dim(1), 3) && fits(in.dim(2), TEMPLATE.size()) && fits(in.dim(3), TEMPLATE.size())
                && model.outputs().size() >= 1 && isEmbedding(model.outputs().get(0));
        if (!ok) {
            throw new UserFacingException("model " + model.file() + " is not an ArcFace-style recogniser (inputs "
                    + ins + ", outputs " + model.outputs() + "; expected float [1,3,112,112] -> [1,D]): pass e.g. w600k_r50.onnx");
        }
        return in.name();
    }

    /**
     * A float [1,D] (or [N,D]) vector of some length: a detector's dynamic input also takes a 112×112 image, but its
     * first output is scores of width 1, which would pass for an embedding and match no one.
     */
    private static boolean isEmbedding(TensorSpec out) {
        return out.type() == OnnxJavaType.FLOAT && out.rank() == 2 && (out.dim(1) == -1 || out.dim(1) >= MIN_EMBEDDING);
    }

    private static boolean fits(long dim, long wanted) {
        return dim == wanted || dim == -1;
    }
}
