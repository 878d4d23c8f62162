package app.deeplive.engine.onnx;

import ai.onnxruntime.OnnxJavaType;
import java.util.Arrays;
import java.util.Objects;

/**
 * A model input or output as the graph declares it. Dynamic dimensions are −1.
 */
public record TensorSpec(String name, long[] shape, OnnxJavaType type) {
    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Dimension {@code i}, −1 when dynamic. */
    public long dim(int i) {
        return shape[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && name.equals(t.name) && Arrays.equals(shape, t.shape) && type == t.type;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), type);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + " " + type;
    }
}
