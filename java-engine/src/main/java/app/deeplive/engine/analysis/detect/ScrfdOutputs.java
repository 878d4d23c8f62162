package app.deeplive.engine.analysis.detect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.onnx.OrtSessions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nine SCRFD outputs (score, box, keypoints for strides 8, 16 and 32), told apart by their shapes, not their
 * names, which differ between exports: the last dimension is 1, 4 or 10 and the row count N = anchors × cells of
 * the stride's grid. Shapes are read from a real run because exports leave them dynamic. Each output then gets a
 * preallocated buffer that ONNX Runtime writes into on every run.
 */
final class ScrfdOutputs implements AutoCloseable {
    static final int[] STRIDES = {8, 16, 32};

    /** One stride's outputs: row i is anchor i % anchors of grid cell i / anchors (row-major cells). */
    record Level(int stride, int anchors, int cols, FloatBuffer scores, FloatBuffer boxes, FloatBuffer kps) {
        int rowsOfOutput() {
            return scores.capacity();
        }
    }

    /** Where one stride's three outputs are in the model's results, as learned from a run. */
    private record LevelLayout(int stride, int anchors, int cols, Output scores, Output boxes, Output kps) {}

    private final List<LevelLayout> layout;
    private final List<Level> levels;
    private final Map<String, OnnxTensor> pinned;

    private ScrfdOutputs(List<LevelLayout> layout, List<Level> levels, Map<String, OnnxTensor> pinned) {
        this.layout = layout;
        this.levels = levels;
        this.pinned = pinned;
    }

    /** Identifies the outputs from the shapes of a run at input size {@code width}×{@code height}. */
    static ScrfdOutputs identify(String modelName, OrtSession.Result run, int width, int height) throws OrtException {
        List<Output> outputs = new ArrayList<>();
        for (Map.Entry<String, OnnxValue> e : run) {
            long[] shape = e.getValue() instanceof OnnxTensor t ? t.getInfo().getShape() : new long[0];
            boolean batched = shape.length == 3 && shape[0] == 1;
            if (shape.length != 2 && !batched) {
                throw notScrfd(modelName, run, "output " + e.getKey() + " has shape " + Arrays.toString(shape));
            }
            outputs.add(new Output(e.getKey(), shape, (int) shape[shape.length - 2], (int) shape[shape.length - 1]));
        }
        List<Output> scores = ofWidth(outputs, 1);
        List<Output> boxes = ofWidth(outputs, 4);
        List<Output> kps = ofWidth(outputs, 10);
        if (scores.size() != 3 || boxes.size() != 3 || kps.size() != 3 || outputs.size() != 9) {
            throw notScrfd(modelName, run, "expected 3 outputs each of width 1, 4 and 10");
        }
        List<LevelLayout> layout = new ArrayList<>();
        int cells8 = (height / 8) * (width / 8);
        int anchors = scores.get(0).rows / Math.max(1, cells8);
        for (int i = 0; i < 3; i++) {
            int stride = STRIDES[i];
            int cols = width / stride;
            int rows = anchors * cols * (height / stride);
            if (anchors < 1 || scores.get(i).rows != rows || boxes.get(i).rows != rows || kps.get(i).rows != rows) {
                throw notScrfd(modelName, run, "row counts do not match strides 8, 16, 32 at " + width + "x" + height);
            }
            layout.add(new LevelLayout(stride, anchors, cols, scores.get(i), boxes.get(i), kps.get(i)));
        }
        return allocate(List.copyOf(layout));
    }

    /** Outputs of the same layout in buffers of their own, for another caller of the same model. */
    ScrfdOutputs sameLayout() throws OrtException {
        return allocate(layout);
    }

    private static ScrfdOutputs allocate(List<LevelLayout> layout) throws OrtException {
        Map<String, OnnxTensor> pinned = new LinkedHashMap<>();
        List<Level> levels = new ArrayList<>();
        try {
            for (LevelLayout l : layout) {
                levels.add(new Level(l.stride(), l.anchors(), l.cols(), pin(l.scores(), pinned), pin(l.boxes(), pinned),
                        pin(l.kps(), pinned)));
            }
        } catch (OrtException | RuntimeException e) {
            pinned.values().forEach(OnnxTensor::close);
            throw e;
        }
        return new ScrfdOutputs(layout, List.copyOf(levels), pinned);
    }

    List<Level> levels() {
        return levels;
    }

    /** Output name → preallocated tensor, for {@code session.run(inputs, pinnedOutputs)}. */
    Map<String, ? extends OnnxValue> pinned() {
        return pinned;
    }

    @Override
    public void close() {
        pinned.values().forEach(OnnxTensor::close);
    }

    private record Output(String name, long[] shape, int rows, int width) {}

    /** Outputs of one width, most rows (finest stride) first. */
    private static List<Output> ofWidth(List<Output> outputs, int width) {
        return outputs.stream().filter(o -> o.width == width)
                .sorted(Comparator.comparingInt((Output o) -> o.rows).reversed()).toList();
    }

    private static FloatBuffer pin(Output o, Map<String, OnnxTensor> pinned) throws OrtException {
        FloatBuffer buffer = ByteBuffer.allocateDirect(o.rows * o.width * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        pinned.put(o.name, OnnxTensor.createTensor(OrtSessions.environment(), buffer, o.shape));
        return buffer;
    }

    private static UserFacingException notScrfd(String modelName, OrtSession.Result run, String why) {
        StringBuilder shapes = new StringBuilder();
        for (Map.Entry<String, OnnxValue> e : run) {
            shapes.append(shapes.isEmpty() ? "" : ", ").append(e.getKey()).append(e.getValue() instanceof OnnxTensor t
                    ? Arrays.toString(t.getInfo().getShape()) : "(not a tensor)");
        }
        return new UserFacingException("model " + modelName + " is not an SCRFD face detector with keypoints (" + why
                + "; outputs: " + shapes + "): pass an SCRFD model such as det_10g.onnx");
    }
}
