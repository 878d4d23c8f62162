package app.deeplive.engine.analysis.detect;

import app.deeplive.engine.onnx.ModelWrapper;
import app.deeplive.engine.onnx.Normalisation;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.onnx.LoadedModel;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.onnx.OrtSessions;
import app.deeplive.engine.onnx.ImageTensors;
import app.deeplive.engine.onnx.TensorSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Finds faces with an SCRFD model (det_10g, det_2.5g, det_500m and re-exports). The frame is read in place (BGR or
 * BGRA, any stride): it is resized straight into a reused letterbox, converted to the model's normalised RGB
 * input in a reused tensor buffer, and the outputs land in preallocated buffers. Calls take turns (each
 * holds this wrapper: its buffers serve one run at a time); {@link #forAnotherCaller()} makes another over the same
 * loaded model that runs beside it.
 */
public final class ScrfdDetector implements ModelWrapper<ScrfdDetector> {

    private final LoadedModel model;
    private final DetectorSettings settings;
    private final int inputSize;
    private final String inputName;
    private final Letterbox letterbox;
    private final ImageTensors input;
    private final ScrfdOutputs outputs;
    private final ScrfdDecoder decoder = new ScrfdDecoder();
    private DetectionTimings timings = new DetectionTimings(0, 0, 0);

    /** Loads {@code modelFile} through {@link OrtSessions}. */
    public static ScrfdDetector open(Path modelFile, OrtConfig config, DetectorSettings settings) {
        return new ScrfdDetector(OrtSessions.open(modelFile, config), settings);
    }

    /**
     * Takes ownership of {@code model} (closed here if it is not a usable detector); runs it once on a blank input
     * to learn its output layout.
     */
    public ScrfdDetector(LoadedModel model, DetectorSettings settings) {
        this.model = model;
        this.settings = settings;
        Letterbox box = null;
        ImageTensors in = null;
        try {
            TensorSpec spec = checkInput(model);
            inputName = spec.name();
            inputSize = inputSize(model, spec, settings.inputSize());
            box = new Letterbox(inputSize, inputSize);
            in = ImageTensors.square(inputSize, OnnxJavaType.FLOAT, Normalisation.SCRFD, 1);
            outputs = learnOutputs(model, inputName, in, inputSize);
        } catch (RuntimeException e) {
            if (in != null) {
                in.close();
            }
            model.close();
            throw e;
        }
        letterbox = box;
        input = in;
    }

    /** A detector over {@code model} (a share of {@code learned}'s) that reuses what {@code learned} found out. */
    private ScrfdDetector(LoadedModel model, ScrfdDetector learned) {
        this.model = model;
        this.settings = learned.settings;
        this.inputSize = learned.inputSize;
        this.inputName = learned.inputName;
        Letterbox box = null;
        ImageTensors in = null;
        try {
            box = new Letterbox(inputSize, inputSize);
            in = ImageTensors.square(inputSize, OnnxJavaType.FLOAT, Normalisation.SCRFD, 1);
            outputs = learned.outputs.sameLayout();
        } catch (OrtException | RuntimeException e) {
            if (in != null) {
                in.close();
            }
            if (box != null) {
                box.close();
            }
            model.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException("face detector: " + e.getMessage(), e);
        }
        letterbox = box;
        input = in;
    }

    /**
     * Another detector over the same loaded model (nothing is read or run again), with its own input and output
     * buffers, for another thread: the two run at the same time. Closing it frees its buffers and its handle on the
     * model; the model closes with the last detector over it.
     */
    public ScrfdDetector forAnotherCaller() {
        return new ScrfdDetector(model.share(), this);
    }

    private static ScrfdOutputs learnOutputs(LoadedModel model, String inputName, ImageTensors in, int size) {
        try (OrtSession.Result warmUp = model.session().run(Map.of(inputName, in.pinnedInput(1)))) {
            return ScrfdOutputs.identify(model.name(), warmUp, size, size);
        } catch (OrtException e) {
            throw new UserFacingException("model " + model.file() + " failed on a " + size + "x" + size + " input ("
                    + e.getMessage().strip().split("\n")[0] + "): pass an SCRFD detector or another --det-size", e);
        }
    }

    /** Faces in frame coordinates, highest score first; none is an empty list. */
    public synchronized List<Face> detect(FrameView frame) {
        long t0 = System.nanoTime();
        Mat fitted = letterbox.fit(frame);
        return run(fitted, letterbox.scale(), t0);
    }

    /** Faces in the frame {@code fitted} was filled from, in that frame's coordinates. */
    public synchronized List<Face> detect(DetectorInput fitted) {
        if (!fitted.filled() || fitted.letterbox.width() != inputSize) {
            throw new IllegalArgumentException("the input was not filled, or not made by this detector");
        }
        return run(fitted.letterbox.resized(), fitted.letterbox.scale(), System.nanoTime());
    }

    /** A reusable copy of frames fitted to this detector, for {@link #detect(DetectorInput)} on another thread. */
    public DetectorInput newInput() {
        return new DetectorInput(inputSize);
    }

    private List<Face> run(Mat fitted, float scale, long t0) {
        input.putTopLeft(0, fitted);
        long t1 = System.nanoTime();
        try (OrtSession.Result ignored = model.session().run(Map.of(inputName, input.pinnedInput(1)), outputs.pinned())) {
            // The outputs were written into the pinned buffers.
        } catch (OrtException e) {
            throw new IllegalStateException("face detector run failed: " + e.getMessage(), e);
        }
        long t2 = System.nanoTime();
        List<Face> faces = decoder.decode(outputs.levels(), scale, settings.scoreThreshold(), settings.nmsThreshold());
        timings = new DetectionTimings(t1 - t0, t2 - t1, System.nanoTime() - t2);
        return faces;
    }

    /** Faces in an 8-bit BGR or BGRA image, viewed in place. */
    public synchronized List<Face> detect(Mat image) {
        try (FrameView view = FrameView.of(image)) {
            return detect(view);
        }
    }

    /** The stage times of the last {@link #detect}. */
    public DetectionTimings lastTimings() {
        return timings;
    }

    /** Side of the square model input in use. */
    public int inputSize() {
        return inputSize;
    }

    public LoadedModel model() {
        return model;
    }

    @Override
    public synchronized void close() {
        outputs.close();
        input.close();
        letterbox.close();
        model.close();
    }

    private static TensorSpec checkInput(LoadedModel model) {
        if (model.inputs().size() != 1) {
            throw new UserFacingException("model " + model.file() + " has " + model.inputs().size()
                    + " inputs, an SCRFD detector has one image input: pass an SCRFD model such as det_10g.onnx");
        }
        TensorSpec in = model.inputs().get(0);
        if (in.rank() != 4 || in.type() != OnnxJavaType.FLOAT || (in.dim(1) != 3 && in.dim(1) != -1)
                || (in.dim(0) != 1 && in.dim(0) != -1)) {
            throw new UserFacingException("model " + model.file() + " takes " + in
                    + ", not a float [1,3,H,W] image: pass an SCRFD model such as det_10g.onnx");
        }
        return in;
    }

    private static int inputSize(LoadedModel model, TensorSpec in, int requested) {
        long h = in.dim(2);
        long w = in.dim(3);
        if (h > 0 || w > 0) {
            if (h != w) {
                throw new UserFacingException("model " + model.file() + " takes a " + w + "x" + h
                        + " input; only square detector inputs are supported: export it with a square or dynamic size");
            }
            if (requested != 0 && requested != h) {
                throw new UserFacingException("model " + model.file() + " only takes " + h + "x" + h
                        + " inputs: use --det-size " + h + " (or leave it out)");
            }
            return (int) h;
        }
        int size = requested == 0 ? DetectorSettings.DEFAULT_INPUT_SIZE : requested;
        if (size % 32 != 0) {
            throw new UserFacingException("detector input size " + size + " is not a multiple of 32: use e.g. 320, 480 or 640");
        }
        return size;
    }
}
