package app.deeplive.engine.swap;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Square BGR crops to and from the NCHW RGB tensors face models take, in float32 or float16 as the model declares:
 * {@code tensor = pixel · scale + offset} on the way in, {@code pixel = clip((value − offset) / scale)} on the way out.
 * One instance owns one reusable direct input buffer and, once asked for, one reusable output tensor the model
 * writes into (pinned output), so a run allocates no image-sized buffer; it is not thread-safe. Close it to free the
 * output tensor.
 */
public final class ImageTensors implements AutoCloseable {
    private final int size;
    private final OnnxJavaType type;
    private final float scale;
    private final float offset;
    private final ByteBuffer direct;
    private final byte[] pixels;
    private final float[] values;
    private final float inverseScale;
    private final long[] shape;
    private OnnxTensor pinned;
    private FloatBuffer pinnedFloats;
    private ShortBuffer pinnedHalves;

    /**
     * @param type {@link OnnxJavaType#FLOAT} or {@link OnnxJavaType#FLOAT16}
     */
    public ImageTensors(int size, OnnxJavaType type, float scale, float offset) {
        if (type != OnnxJavaType.FLOAT && type != OnnxJavaType.FLOAT16) {
            throw new IllegalArgumentException("image tensors are float or float16, not " + type);
        }
        this.size = size;
        this.type = type;
        this.scale = scale;
        this.offset = offset;
        int values = 3 * size * size;
        this.direct = ByteBuffer.allocateDirect(values * (type == OnnxJavaType.FLOAT ? 4 : 2)).order(ByteOrder.nativeOrder());
        this.pixels = new byte[values];
        this.values = new float[values];
        this.inverseScale = 1f / scale;
        this.shape = new long[] {1, 3, size, size};
    }

    public int size() {
        return size;
    }

    /**
     * A tensor over this instance's buffer holding {@code bgr} (size×size, 8-bit, 3 channels); close it after the run,
     * before the next call.
     */
    public OnnxTensor toTensor(OrtEnvironment env, Mat bgr) throws OrtException {
        if (bgr.rows() != size || bgr.cols() != size || bgr.type() != opencv_core.CV_8UC3) {
            throw new IllegalArgumentException("expected a " + size + "x" + size + " BGR crop, got " + bgr.cols() + "x"
                    + bgr.rows() + " type " + bgr.type());
        }
        readPixels(bgr, pixels);
        int plane = size * size;
        if (type == OnnxJavaType.FLOAT) {
            FloatBuffer f = direct.asFloatBuffer();
            for (int i = 0; i < plane; i++) {
                int p = 3 * i;
                f.put(i, (pixels[p + 2] & 0xff) * scale + offset); // R
                f.put(plane + i, (pixels[p + 1] & 0xff) * scale + offset); // G
                f.put(2 * plane + i, (pixels[p] & 0xff) * scale + offset); // B
            }
            return OnnxTensor.createTensor(env, f, shape);
        }
        ShortBuffer h = direct.asShortBuffer();
        for (int i = 0; i < plane; i++) {
            int p = 3 * i;
            h.put(i, Float16.fromFloat((pixels[p + 2] & 0xff) * scale + offset));
            h.put(plane + i, Float16.fromFloat((pixels[p + 1] & 0xff) * scale + offset));
            h.put(2 * plane + i, Float16.fromFloat((pixels[p] & 0xff) * scale + offset));
        }
        return OnnxTensor.createTensor(env, h, shape, OnnxJavaType.FLOAT16);
    }

    /**
     * This instance's reusable 1×3×size×size output tensor of {@code type}, over a direct buffer, for
     * {@code OrtSession.run}'s pinned outputs: the model writes its output straight into it (no per-run copy to
     * the Java heap). Made on first use; owned by this instance.
     */
    public OnnxTensor pinnedOutput(OrtEnvironment env, OnnxJavaType type) throws OrtException {
        if (pinned == null) {
            if (type != OnnxJavaType.FLOAT && type != OnnxJavaType.FLOAT16) {
                throw new IllegalArgumentException("image tensors are float or float16, not " + type);
            }
            int values = 3 * size * size;
            ByteBuffer out = ByteBuffer.allocateDirect(values * (type == OnnxJavaType.FLOAT ? 4 : 2))
                    .order(ByteOrder.nativeOrder());
            if (type == OnnxJavaType.FLOAT) {
                pinnedFloats = out.asFloatBuffer();
                pinned = OnnxTensor.createTensor(env, pinnedFloats, shape);
            } else {
                pinnedHalves = out.asShortBuffer();
                pinned = OnnxTensor.createTensor(env, pinnedHalves, shape, OnnxJavaType.FLOAT16);
            }
        }
        return pinned;
    }

    /** A new size×size BGR image from an NCHW RGB output tensor (float or float16). */
    public Mat toImage(OnnxTensor tensor) {
        if (tensor == pinned && pinned != null) {
            int count = 3 * size * size;
            if (pinnedFloats != null) {
                pinnedFloats.get(0, values, 0, count); // absolute bulk read from the direct buffer
            } else {
                for (int i = 0; i < count; i++) {
                    values[i] = Float16.toFloat(pinnedHalves.get(i));
                }
            }
            return fromValues();
        }
        long[] s = tensor.getInfo().getShape();
        if (s.length != 4 || s[0] != 1 || s[1] != 3 || s[2] != size || s[3] != size) {
            throw new IllegalStateException("model output has shape " + java.util.Arrays.toString(s) + ", expected [1, 3, "
                    + size + ", " + size + "]");
        }
        int plane = size * size;
        OnnxJavaType outType = tensor.getInfo().type;
        if (outType == OnnxJavaType.FLOAT) {
            tensor.getFloatBuffer().get(values, 0, 3 * plane); // one bulk copy, then plain array reads
        } else if (outType == OnnxJavaType.FLOAT16) {
            ShortBuffer h = tensor.getShortBuffer();
            for (int i = 0; i < 3 * plane; i++) {
                values[i] = Float16.toFloat(h.get(i));
            }
        } else {
            throw new IllegalStateException("model output is " + outType + ", expected float or float16");
        }
        return fromValues();
    }

    private Mat fromValues() {
        int plane = size * size;
        for (int i = 0; i < plane; i++) {
            int p = 3 * i;
            pixels[p + 2] = toByte(values[i]); // R
            pixels[p + 1] = toByte(values[plane + i]); // G
            pixels[p] = toByte(values[2 * plane + i]); // B
        }
        Mat out = new Mat(size, size, opencv_core.CV_8UC3);
        out.data().put(pixels, 0, pixels.length);
        return out;
    }

    private byte toByte(float value) {
        float v = (value - offset) * inverseScale;
        if (!(v > 0f)) { // NaN too
            return 0;
        }
        return v >= 254.5f ? (byte) 255 : (byte) (int) (v + 0.5f); // round half up, like Math.round for v > 0
    }

    @Override
    public void close() {
        if (pinned != null) {
            pinned.close();
            pinned = null;
        }
    }

    /** Copies a (possibly non-continuous) 8-bit 3-channel Mat's pixels row by row. */
    static void readPixels(Mat bgr, byte[] into) {
        int rowBytes = bgr.cols() * 3;
        BytePointer data = bgr.data();
        if (bgr.isContinuous()) {
            data.position(0).get(into, 0, rowBytes * bgr.rows());
            return;
        }
        long step = bgr.step();
        for (int y = 0; y < bgr.rows(); y++) {
            data.position(y * step).get(into, y * rowBytes, rowBytes);
        }
        data.position(0);
    }
}
