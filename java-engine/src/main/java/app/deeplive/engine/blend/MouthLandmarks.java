package app.deeplive.engine.blend;

import app.deeplive.engine.onnx.ModelWrapper;
import app.deeplive.engine.onnx.Normalisation;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.analysis.BoundingBox;
import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.onnx.LoadedModel;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.onnx.OrtSessions;
import app.deeplive.engine.onnx.TensorSpec;
import app.deeplive.engine.swap.AlignedCrops;
import app.deeplive.engine.onnx.ImageTensors;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * insightface's 2d106det landmark model, used for the mouth mask: a 192×192 crop centred on the face box at scale
 * 192 / (1.5·max(w, h)), RGB with mean 0 and std 1; its 212 outputs in [−1, 1] map to crop pixels by (v + 1)·96 and
 * back to the frame by the inverse crop transform. Calls take turns (each holds this wrapper: it keeps its crop
 * and input tensor from run to run); {@link #forAnotherCaller()} makes another over the same loaded model.
 */
public final class MouthLandmarks implements ModelWrapper<MouthLandmarks> {
    public static final int SIZE = 192;
    public static final int POINTS = 106;

    private final LoadedModel model;
    private final String inputName;
    private final ImageTensors input;
    private final AlignedCrops crops = new AlignedCrops(SIZE); // the input crop, kept from face to face
    private Map<String, OnnxTensor> inputs; // the input tensor by name, made on first use

    private MouthLandmarks(LoadedModel model) {
        this.model = model;
        if (model.inputs().size() != 1 || model.outputs().isEmpty()) {
            throw notLandmarks(model, "it has " + model.inputs().size() + " inputs");
        }
        TensorSpec in = model.inputs().get(0);
        long[] s = in.shape();
        boolean shapeOk = s.length == 4 && (s[1] == 3 || s[1] == -1) && (s[2] == SIZE || s[2] == -1)
                && (s[3] == SIZE || s[3] == -1);
        if (!shapeOk || (in.type() != OnnxJavaType.FLOAT && in.type() != OnnxJavaType.FLOAT16)) {
            throw notLandmarks(model, "input " + in);
        }
        long[] o = model.outputs().get(0).shape();
        if (o.length != 2 || (o[1] != 2 * POINTS && o[1] != -1)) {
            throw notLandmarks(model, "output " + model.outputs().get(0));
        }
        this.inputName = in.name();
        this.input = ImageTensors.square(SIZE, in.type(), Normalisation.LANDMARKS, 1);
    }

    /** Loads a 2d106det model. */
    public static MouthLandmarks open(Path file, OrtConfig config) {
        LoadedModel model = OrtSessions.open(file, config);
        try {
            return new MouthLandmarks(model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Another landmark model over the same loaded model, with its own crop and input buffer, for another thread:
     * the two run at the same time. Closing it frees its buffers and its handle on the model; the model closes with
     * the last one over it.
     */
    public MouthLandmarks forAnotherCaller() {
        LoadedModel share = model.share();
        try {
            return new MouthLandmarks(share);
        } catch (RuntimeException e) {
            share.close();
            throw e;
        }
    }

    public LoadedModel model() {
        return model;
    }

    /** The crop transform 2d106det expects for a face box (no rotation). */
    public static SimilarityTransform cropTransform(BoundingBox box) {
        double scale = SIZE / (1.5 * Math.max(box.width(), box.height()));
        return SimilarityTransform.of(scale, 0, SIZE / 2.0 - box.centreX() * scale, SIZE / 2.0 - box.centreY() * scale);
    }

    /** The 106 landmarks of the face in {@code box}, flattened (x, y) in frame coordinates. */
    public synchronized float[] detect(Mat frame, BoundingBox box) {
        SimilarityTransform toCrop = cropTransform(box);
        float[] points;
        input.put(0, crops.cut(0, frame, toCrop));
        try {
            if (inputs == null) {
                inputs = Map.of(inputName, input.pinnedInput(1));
            }
            try (OrtSession.Result result = model.session().run(inputs)) {
                points = values((OnnxTensor) result.get(0));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("landmark model run failed: " + e.getMessage(), e);
        }
        for (int i = 0; i < points.length; i++) {
            points[i] = (points[i] + 1f) * (SIZE / 2f); // crop pixels
        }
        return toCrop.inverse().applyAll(points);
    }

    private static float[] values(OnnxTensor t) {
        float[] out = new float[2 * POINTS];
        if (t.getInfo().type == OnnxJavaType.FLOAT16) {
            var h = t.getShortBuffer();
            if (h.remaining() < out.length) {
                throw new IllegalStateException("landmark output has " + h.remaining() + " values, expected 212");
            }
            for (int i = 0; i < out.length; i++) {
                out[i] = app.deeplive.engine.swap.Float16.toFloat(h.get(i));
            }
            return out;
        }
        FloatBuffer f = t.getFloatBuffer();
        if (f.remaining() < out.length) {
            throw new IllegalStateException("landmark output has " + f.remaining() + " values, expected 212");
        }
        f.get(out);
        return out;
    }

    private static UserFacingException notLandmarks(LoadedModel model, String why) {
        return new UserFacingException("model " + model.file() + " is not a 2d106det landmark model (" + why
                + "); pass 2d106det.onnx from buffalo_l");
    }

    @Override
    public synchronized void close() {
        crops.close();
        input.close();
        model.close();
    }

    @Override
    public String toString() {
        return "MouthLandmarks" + Arrays.toString(new Object[] {model});
    }
}
