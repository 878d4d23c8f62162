package app.deeplive.engine.swap;

import app.deeplive.engine.onnx.Normalisation;
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
 * One instance owns a reusable direct input buffer for up to {@link #capacity()} images (a batch for models with a
 * dynamic batch dimension) and, once asked for, reusable output tensors over a direct buffer the model writes into
 * (pinned outputs), so a run allocates no image-sized buffer; it is not thread-safe. Close it to free the pinned
 * tensors.
 */
public final class ImageTensors implements AutoCloseable {
    private final int size;
    private final int capacity;
    private final OnnxJavaType type;
    private final float scale;
    private final float offset;
    private final ByteBuffer direct;
    private final FloatBuffer directFloats; // views of it, made once
    private final ShortBuffer directHalves;
    private final byte[] pixels;
    private final float[] values;
    private final float inverseScale;
    private final long[][] shapes; // shapes[n]: n images
    private final OnnxTensor[] pinned; // pinned[n]: the output tensor for n images, over the one output buffer
    private final OnnxTensor[] pinnedInputs; // pinnedInputs[n]: the input tensor for n images, over the input buffer
    private OnnxJavaType pinnedType;
    private FloatBuffer pinnedFloats;
    private ShortBuffer pinnedHalves;

    /**
     * @param type {@link OnnxJavaType#FLOAT} or {@link OnnxJavaType#FLOAT16}
     */
    public ImageTensors(int size, OnnxJavaType type, Normalisation normalisation) {
        this(size, type, normalisation, 1);
    }

    /** @param capacity images per run at most (the batch) */
    public ImageTensors(int size, OnnxJavaType type, Normalisation normalisation, int capacity) {
        requireFloat(type);
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        this.size = size;
        this.capacity = capacity;
        this.type = type;
        this.scale = normalisation.scale();
        this.offset = normalisation.offset();
        int values = 3 * size * size;
        this.direct = ByteBuffer.allocateDirect(capacity * values * bytesOf(type)).order(ByteOrder.nativeOrder());
        this.directFloats = direct.asFloatBuffer();
        this.directHalves = direct.asShortBuffer();
        this.pixels = new byte[values];
        this.values = new float[values];
        this.inverseScale = 1f / scale;
        this.shapes = new long[capacity + 1][];
        for (int n = 1; n <= capacity; n++) {
            shapes[n] = new long[] {n, 3, size, size};
        }
        this.pinned = new OnnxTensor[capacity + 1];
        this.pinnedInputs = new OnnxTensor[capacity + 1];
    }

    public int size() {
        return size;
    }

    /** Images per run at most. */
    public int capacity() {
        return capacity;
    }

    /** Writes {@code bgr} (size×size, 8-bit, 3 channels) as image {@code index} of the input batch. */
    public void put(int index, Mat bgr) {
        if (index < 0 || index >= capacity) {
            throw new IndexOutOfBoundsException("image " + index + " of a batch of " + capacity);
        }
        if (bgr.rows() != size || bgr.cols() != size || bgr.type() != opencv_core.CV_8UC3) {
            throw new IllegalArgumentException("expected a " + size + "x" + size + " BGR crop, got " + bgr.cols() + "x"
                    + bgr.rows() + " type " + bgr.type());
        }
        readPixels(bgr, pixels);
        int plane = size * size;
        int base = index * 3 * plane;
        if (type == OnnxJavaType.FLOAT) {
            FloatBuffer f = directFloats;
            for (int i = 0; i < plane; i++) {
                int p = 3 * i;
                f.put(base + i, (pixels[p + 2] & 0xff) * scale + offset); // R
                f.put(base + plane + i, (pixels[p + 1] & 0xff) * scale + offset); // G
                f.put(base + 2 * plane + i, (pixels[p] & 0xff) * scale + offset); // B
            }
            return;
        }
        ShortBuffer h = directHalves;
        for (int i = 0; i < plane; i++) {
            int p = 3 * i;
            h.put(base + i, Float16.fromFloat((pixels[p + 2] & 0xff) * scale + offset));
            h.put(base + plane + i, Float16.fromFloat((pixels[p + 1] & 0xff) * scale + offset));
            h.put(base + 2 * plane + i, Float16.fromFloat((pixels[p] & 0xff) * scale + offset));
        }
    }

    /**
     * This instance's reusable tensor over the first {@code n} images {@link #put} in its buffer, for runs made
     * every frame: the model reads the buffer as it is at the run, so one tensor serves every run. Made on first
     * use; owned by this instance (do not close it).
     */
    public OnnxTensor pinnedInput(OrtEnvironment env, int n) throws OrtException {
        checkCount(n);
        if (pinnedInputs[n] == null) {
            pinnedInputs[n] = batchOver(env, type == OnnxJavaType.FLOAT ? directFloats : null, directHalves, n);
        }
        return pinnedInputs[n];
    }

    /**
     * This instance's reusable n×3×size×size output tensor of {@code type}, over a direct buffer, for
     * {@code OrtSession.run}'s pinned outputs: the model writes its output straight into it (no per-run copy to
     * the Java heap). Made on first use; owned by this instance.
     */
    public OnnxTensor pinnedOutput(OrtEnvironment env, OnnxJavaType type, int n) throws OrtException {
        checkCount(n);
        if (pinnedType == null) {
            requireFloat(type);
            ByteBuffer out = ByteBuffer.allocateDirect(capacity * 3 * size * size * bytesOf(type))
                    .order(ByteOrder.nativeOrder());
            pinnedType = type;
            if (type == OnnxJavaType.FLOAT) {
                pinnedFloats = out.asFloatBuffer();
            } else {
                pinnedHalves = out.asShortBuffer();
            }
        } else if (pinnedType != type) {
            throw new IllegalArgumentException("the output is " + pinnedType + ", not " + type);
        }
        if (pinned[n] == null) {
            pinned[n] = batchOver(env, pinnedType == OnnxJavaType.FLOAT ? pinnedFloats : null, pinnedHalves, n);
        }
        return pinned[n];
    }

    /** An n×3×size×size tensor over the start of {@code floats}, or of {@code halves} (fp16) when floats is null. */
    private OnnxTensor batchOver(OrtEnvironment env, FloatBuffer floats, ShortBuffer halves, int n)
            throws OrtException {
        int count = n * 3 * size * size;
        return floats != null
                ? OnnxTensor.createTensor(env, floats.duplicate().limit(count), shapes[n])
                : OnnxTensor.createTensor(env, halves.duplicate().limit(count), shapes[n], OnnxJavaType.FLOAT16);
    }

    /** Image {@code index} of the last run's pinned output, as a new size×size BGR image; the caller closes it. */
    public Mat pinnedImage(int index) {
        checkPinned(index);
        Mat out = new Mat(size, size, opencv_core.CV_8UC3);
        try {
            pinnedImage(index, out);
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /**
     * Image {@code index} of the last run's pinned output written into {@code into}, which is made size×size BGR
     * first if it is not already (so a caller that keeps its images allocates nothing per run).
     */
    public void pinnedImage(int index, Mat into) {
        checkPinned(index);
        int count = 3 * size * size;
        int base = index * count;
        if (pinnedFloats != null) {
            pinnedFloats.get(base, values, 0, count); // absolute bulk read from the direct buffer
        } else {
            for (int i = 0; i < count; i++) {
                values[i] = Float16.toFloat(pinnedHalves.get(base + i));
            }
        }
        fromValues(into);
    }

    private void checkPinned(int index) {
        if (pinnedType == null || index < 0 || index >= capacity) {
            throw new IllegalStateException("no pinned output image " + index);
        }
    }

    private void checkCount(int n) {
        if (n < 1 || n > capacity) {
            throw new IllegalArgumentException("a run takes 1 to " + capacity + " images, not " + n);
        }
    }

    private static void requireFloat(OnnxJavaType type) {
        if (type != OnnxJavaType.FLOAT && type != OnnxJavaType.FLOAT16) {
            throw new IllegalArgumentException("image tensors are float or float16, not " + type);
        }
    }

    private static int bytesOf(OnnxJavaType type) {
        return type == OnnxJavaType.FLOAT ? 4 : 2;
    }

    private void fromValues(Mat out) {
        out.create(size, size, opencv_core.CV_8UC3);
        if (!out.isContinuous()) {
            throw new IllegalArgumentException("the output image must be continuous (not a view into another)");
        }
        int plane = size * size;
        for (int i = 0; i < plane; i++) {
            int p = 3 * i;
            pixels[p + 2] = toByte(values[i]); // R
            pixels[p + 1] = toByte(values[plane + i]); // G
            pixels[p] = toByte(values[2 * plane + i]); // B
        }
        out.data().put(pixels, 0, pixels.length);
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
        for (int n = 0; n < pinned.length; n++) {
            if (pinned[n] != null) {
                pinned[n].close();
                pinned[n] = null;
            }
            if (pinnedInputs[n] != null) {
                pinnedInputs[n].close();
                pinnedInputs[n] = null;
            }
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
