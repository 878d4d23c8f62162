package app.deeplive.engine.blend;

import app.deeplive.engine.onnx.ModelWrapper;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_TOZERO;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_TRUNC;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.onnx.ImageTensors;
import app.deeplive.engine.onnx.LoadedModel;
import app.deeplive.engine.onnx.Normalisation;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.onnx.OrtSessions;
import app.deeplive.engine.onnx.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * An occlusion model (FaceFusion's xseg_1/2/3 contract, {@code facefusion/face_masker.py}): which pixels of an
 * aligned face crop are the face, and which are something in front of it (a hand, a microphone, a cup). Its input is
 * the crop at 256 × 256, NHWC, BGR, each value pixel / 255; its output a 256 × 256 map in 0..1 (1 = face).
 *
 * <p>As FaceFusion does, the map is scaled to the crop, blurred (Gaussian, σ = 5 px) and remapped by
 * (clip(m, 0.5, 1) − 0.5) · 2: a soft cut at one half, so an occluder's edge is feathered instead of jagged. The
 * result is an 8-bit mask over the crop (255 = face), which {@link FacePaste} takes as the minimum with its own mask:
 * where the occluder says "not face", the original pixels stay.
 *
 * <p>Calls take turns (the wrapper keeps its buffers and tensors from run to run); {@link #forAnotherCaller()} gives
 * another thread one of its own over the same loaded model. Close it.
 */
public final class FaceOccluder implements ModelWrapper<FaceOccluder> {
    public static final int SIZE = 256;
    /** FaceFusion's blur of the scaled map, in crop pixels. */
    static final double BLUR_SIGMA = 5.0;

    private final LoadedModel model;
    private final ImageTensors tensors; // the crop at 256 as the model's [1, 256, 256, 3] BGR input
    private final ByteBuffer outputBytes = direct(SIZE * SIZE);
    private final Mat outputMap; // 256×256 CV_32F over outputBytes
    private final Mat small = new Mat(); // the crop at 256, 8-bit BGR(A)
    private final Mat scaled = new Mat(); // the map at the crop's size
    private final Mat blurred = new Mat();
    private final Size modelSize = new Size(SIZE, SIZE);
    private final Size blurAuto = new Size(0, 0);
    private final Size cropSize = new Size(); // the crop's size, set per face (no native allocation per frame)
    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxTensor> outputs;
    private final OnnxTensor outputTensor;

    private FaceOccluder(LoadedModel model) {
        this.model = model;
        if (model.inputs().size() != 1 || model.outputs().isEmpty()) {
            throw notOccluder(model, "it has " + model.inputs().size() + " inputs");
        }
        TensorSpec in = model.inputs().get(0);
        TensorSpec out = model.outputs().get(0);
        if (!matches(in.shape(), 1, SIZE, SIZE, 3) || in.type() != OnnxJavaType.FLOAT) {
            throw notOccluder(model, "input " + in + ", expected float [1,256,256,3] (NHWC)");
        }
        // One channel: [1,256,256,1] (NHWC) or [1,1,256,256]: the same 65536 values in the same order.
        if (out.type() != OnnxJavaType.FLOAT
                || !(matches(out.shape(), 1, SIZE, SIZE, 1) || matches(out.shape(), 1, 1, SIZE, SIZE))) {
            throw notOccluder(model, "output " + out + ", expected float [1,256,256,1]");
        }
        this.tensors = ImageTensors.interleavedBgr(SIZE, Normalisation.XSEG);
        this.outputMap = new Mat(SIZE, SIZE, CV_32F, new FloatPointer(outputBytes.asFloatBuffer()));
        OnnxTensor output = null;
        try {
            output = OnnxTensor.createTensor(OrtSessions.environment(), outputBytes.asFloatBuffer(),
                    out.shape()[1] == 1 ? new long[] {1, 1, SIZE, SIZE} : new long[] {1, SIZE, SIZE, 1});
            this.inputs = Map.of(in.name(), tensors.pinnedInput(1));
        } catch (OrtException | RuntimeException e) {
            // Made once per face slot: one that cannot be made leaves nothing native behind.
            if (output != null) {
                output.close();
            }
            tensors.close();
            outputMap.close();
            throw new IllegalStateException("cannot make the occluder's tensors: " + e.getMessage(), e);
        }
        this.outputTensor = output;
        this.outputs = Map.of(out.name(), outputTensor);
    }

    /** Loads an XSeg-style occluder (e.g. FaceFusion's xseg_2.onnx). */
    public static FaceOccluder open(Path file, OrtConfig config) {
        LoadedModel model = OrtSessions.open(file, config);
        try {
            return new FaceOccluder(model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Another occluder over the same loaded model, with buffers of its own, for another thread. */
    public FaceOccluder forAnotherCaller() {
        LoadedModel share = model.share();
        try {
            return new FaceOccluder(share);
        } catch (RuntimeException e) {
            share.close();
            throw e;
        }
    }

    public LoadedModel model() {
        return model;
    }

    /**
     * The face's mask over {@code crop} (an aligned face crop, 8-bit BGR or BGRA, square, any size), written to
     * {@code mask} as 8-bit, the crop's size: 255 where the face shows, 0 where something covers it.
     */
    public synchronized void mask(Mat crop, Mat mask) {
        if (crop.type() != CV_8UC3 && crop.type() != CV_8UC4) {
            throw new IllegalArgumentException("expected an 8-bit BGR(A) crop, got type " + crop.type());
        }
        resize(crop, small, modelSize, 0, 0, INTER_LINEAR);
        tensors.put(0, small); // into the input tensor's buffer
        try (OrtSession.Result ignored = model.session().run(inputs, outputs)) {
            // the model wrote its map into outputBytes
        } catch (OrtException e) {
            throw new IllegalStateException("occlusion model run failed: " + e.getMessage(), e);
        }
        resize(outputMap, scaled, cropSize.width(crop.cols()).height(crop.rows()), 0, 0, INTER_LINEAR);
        // Clip to 0..1 before the blur (a model may overshoot), as FaceFusion does.
        threshold(scaled, scaled, 1.0, 1.0, THRESH_TRUNC);
        threshold(scaled, scaled, 0.0, 0.0, THRESH_TOZERO);
        GaussianBlur(scaled, blurred, blurAuto, BLUR_SIGMA);
        // (clip(m, 0.5, 1) − 0.5) · 2 in 8 bits: m · 510 − 255, saturated to 0..255.
        blurred.convertTo(mask, CV_8U, 510.0, -255.0);
    }

    private static boolean matches(long[] shape, long... want) {
        if (shape.length != want.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            if (shape[i] != want[i] && shape[i] != -1) {
                return false;
            }
        }
        return true;
    }

    private static ByteBuffer direct(int floats) { // the mask the model writes: not an image, so not ImageTensors
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder());
    }

    private static UserFacingException notOccluder(LoadedModel model, String why) {
        return new UserFacingException("model " + model.file() + " is not an XSeg occlusion model (" + why
                + "); pass FaceFusion's xseg_1, xseg_2 or xseg_3 .onnx");
    }

    @Override
    public synchronized void close() {
        tensors.close();
        outputTensor.close();
        outputMap.close();
        small.close();
        scaled.close();
        blurred.close();
        modelSize.close();
        blurAuto.close();
        cropSize.close();
        model.close();
    }
}
