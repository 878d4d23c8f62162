package app.deeplive.engine.live;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.onnx.LoadedModel;
import app.deeplive.engine.onnx.OrtSessions;
import app.deeplive.engine.onnx.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A face model (crop in, crop out: inswapper's [N,3,128,128] + latent [N,512], GPEN/GFPGAN's [N,3,S,S]) run on all
 * faces of a frame at once. Inputs live in one preallocated direct buffer, and every {@link Output} is a direct
 * buffer that ONNX Runtime writes into (pinned outputs), so a run allocates no tensor memory. With a dynamic batch
 * dimension the faces go in ONE run of batch N; a model fixed at batch 1 (the real inswapper_128 export) runs once
 * per face over slices of the same buffers. Tensors and input maps for every batch size are made up front.
 * Float32 I/O only. One thread runs it; outputs belong to work items.
 */
final class BatchedFaceModel implements AutoCloseable {
    private final LoadedModel model;
    private final int size;
    private final int outputSize;
    private final int maxFaces;
    private final boolean dynamicBatch;
    private final String imageName;
    private final String latentName;
    private final String outputName;
    private final FloatBuffer input;
    private final FloatBuffer latent;
    /** Inputs per run: index n−1 for a batch of n (dynamic), or per face i (batch 1). */
    private final List<Map<String, OnnxTensor>> inputs = new ArrayList<>();
    private final List<OnnxTensor> owned = new ArrayList<>();

    /**
     * @param latentSize the length of a second, vector input (512 for inswapper), or 0 for image-only models
     */
    BatchedFaceModel(LoadedModel model, int latentSize, int maxFaces) {
        this.model = model;
        this.maxFaces = maxFaces;
        TensorSpec image = null;
        TensorSpec vector = null;
        for (TensorSpec s : model.inputs()) {
            if (s.rank() == 4 && image == null) {
                image = s;
            } else if (s.rank() == 2 && vector == null) {
                vector = s;
            }
        }
        int expectedInputs = latentSize > 0 ? 2 : 1;
        if (image == null || (latentSize > 0) != (vector != null) || model.inputs().size() != expectedInputs
                || model.outputs().isEmpty()) {
            throw notAFaceModel("inputs " + model.inputs() + " and outputs " + model.outputs());
        }
        TensorSpec out = model.outputs().get(0);
        for (TensorSpec s : latentSize > 0 ? List.of(image, vector, out) : List.of(image, out)) {
            if (s.type() != OnnxJavaType.FLOAT) {
                throw notAFaceModel(s + " is not float32 (the live path runs float32 models)");
            }
        }
        long batch = image.dim(0);
        if (image.dim(1) != 3 || image.dim(2) <= 0 || image.dim(2) != image.dim(3) || (batch != 1 && batch != -1)
                || out.rank() != 4 || out.dim(1) != 3 || out.dim(2) <= 0 || out.dim(2) != out.dim(3)) {
            throw notAFaceModel("image input " + image + ", output " + out + "; expected [N,3,S,S] in and out");
        }
        if (vector != null && vector.dim(1) != latentSize) {
            throw notAFaceModel("vector input " + vector + ", expected [N," + latentSize + "]");
        }
        this.dynamicBatch = batch == -1;
        this.size = (int) image.dim(2);
        this.outputSize = (int) out.dim(2);
        this.imageName = image.name();
        this.latentName = vector == null ? null : vector.name();
        this.outputName = out.name();
        int plane = 3 * size * size;
        this.input = direct(maxFaces * plane);
        this.latent = latentSize > 0 ? direct(maxFaces * latentSize) : null;
        try {
            for (int i = 0; i < maxFaces; i++) {
                // dynamic: a batch of i+1 from the start; fixed: face i alone.
                int first = dynamicBatch ? 0 : i;
                int count = dynamicBatch ? i + 1 : 1;
                OnnxTensor img = tensor(input, first * plane, count * plane, new long[] {count, 3, size, size});
                if (latent == null) {
                    inputs.add(Map.of(imageName, img));
                } else {
                    OnnxTensor lat = tensor(latent, first * latentSize, count * latentSize,
                            new long[] {count, latentSize});
                    inputs.add(Map.of(imageName, img, latentName, lat));
                }
            }
        } catch (OrtException e) {
            close();
            throw new IllegalStateException("cannot create input tensors: " + e.getMessage(), e);
        }
    }

    /** Side of the square input crop. */
    int size() {
        return size;
    }

    /** Side of the square output. */
    int outputSize() {
        return outputSize;
    }

    int maxFaces() {
        return maxFaces;
    }

    /** Whether all faces go through in one run. */
    boolean batched() {
        return dynamicBatch;
    }

    /** The planar input crops: face i's three planes start at {@code i · 3 · size²}. */
    FloatBuffer input() {
        return input;
    }

    /** The vector input (latents), face i at {@code i · latentSize}; null for image-only models. */
    FloatBuffer latent() {
        return latent;
    }

    /** A work item's output buffer for this model, with its pinned tensors. */
    Output newOutput() {
        return new Output();
    }

    /** Runs the model on the first {@code faces} crops, writing their results into {@code out}. */
    void run(int faces, Output out) {
        if (faces < 1 || faces > maxFaces) {
            throw new IllegalArgumentException("faces must be 1.." + maxFaces + ", not " + faces);
        }
        try {
            if (dynamicBatch) {
                runOnce(inputs.get(faces - 1), out.pinned.get(faces - 1));
            } else {
                for (int i = 0; i < faces; i++) {
                    runOnce(inputs.get(i), out.pinned.get(i));
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException(model.name() + " run failed: " + e.getMessage(), e);
        }
    }

    private void runOnce(Map<String, OnnxTensor> in, Map<String, OnnxValue> pinned) throws OrtException {
        try (OrtSession.Result ignored = model.session().run(in, pinned)) {
            // Results are in the pinned buffer.
        }
    }

    /** One work item's copy of the model's output: planar crops, face i at {@code i · 3 · outputSize²}. */
    final class Output implements AutoCloseable {
        private final FloatBuffer buffer;
        private final List<Map<String, OnnxValue>> pinned = new ArrayList<>();
        private final List<OnnxTensor> tensors = new ArrayList<>();

        private Output() {
            int plane = 3 * outputSize * outputSize;
            buffer = direct(maxFaces * plane);
            try {
                for (int i = 0; i < maxFaces; i++) {
                    int first = dynamicBatch ? 0 : i;
                    int count = dynamicBatch ? i + 1 : 1;
                    OnnxTensor t = OnnxTensor.createTensor(OrtSessions.environment(),
                            slice(buffer, first * plane, count * plane),
                            new long[] {count, 3, outputSize, outputSize});
                    tensors.add(t);
                    pinned.add(Map.of(outputName, t));
                }
            } catch (OrtException e) {
                close();
                throw new IllegalStateException("cannot create output tensors: " + e.getMessage(), e);
            }
        }

        FloatBuffer buffer() {
            return buffer;
        }

        @Override
        public void close() {
            tensors.forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor tensor(FloatBuffer buffer, int first, int count, long[] shape) throws OrtException {
        OnnxTensor t = OnnxTensor.createTensor(OrtSessions.environment(), slice(buffer, first, count), shape);
        owned.add(t);
        return t;
    }

    private static FloatBuffer slice(FloatBuffer buffer, int first, int count) {
        return buffer.duplicate().position(first).limit(first + count).slice();
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private UserFacingException notAFaceModel(String why) {
        return new UserFacingException("model " + model.file() + " cannot run on the live path (" + why
                + "): pass an inswapper_128 / GPEN / GFPGAN model with float32 [N,3,S,S] inputs");
    }

    /** Closes the input tensors; the model is the caller's. */
    @Override
    public void close() {
        owned.forEach(OnnxTensor::close);
    }
}
