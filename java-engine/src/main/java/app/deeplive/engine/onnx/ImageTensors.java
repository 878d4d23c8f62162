package app.deeplive.engine.onnx;

import static org.bytedeco.opencv.global.opencv_core.CV_16F;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC4;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_MAKETYPE;
import static org.bytedeco.opencv.global.opencv_core.mixChannels;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * The one packer between 8-bit BGR(A) images and the tensors the face models take: planar RGB, [N, 3, H, W], for all
 * but one, and interleaved BGR, [N, H, W, 3], for the XSeg occluder ({@link #interleavedBgr}); float32 or float16 as
 * the model declares, each value (pixel − mean) / std by the model's {@link Normalisation}. On the way back (models
 * that answer with an image, planar) a value becomes round(value · std + mean), clipped to 0..255.
 *
 * <p>One instance owns a direct input buffer for up to {@link #capacity()} images (a batch, for models with a dynamic
 * batch dimension) and, once asked for, a direct output buffer the model writes into (a pinned output), with ONNX
 * tensors over both made once per batch size. OpenCV does the arithmetic and the channel shuffle straight into and
 * out of those buffers (its vectorised {@code convertTo} and {@code mixChannels}, over plane headers made once), so a
 * frame allocates nothing and no Java loop touches a pixel. Each image of the batch has its own working memory: {@link
 * #put} and {@link #pinnedImage} may run at the same time for different images (after {@link #pinnedOutput} made the
 * output); otherwise not thread-safe. Close it to free the native memory.
 */
public final class ImageTensors implements AutoCloseable {
    /** Source channel → tensor plane: B, G, R (and A, dropped) to the R, G, B planes. */
    private static final int[] BGR_TO_RGB_PLANES = {2, 0, 1, 1, 0, 2};
    /** BGRA → interleaved BGR: channels 0, 1, 2 kept in place, alpha dropped. */
    private static final IntPointer BGRA_TO_BGR = new IntPointer(0, 0, 1, 1, 2, 2);

    private final boolean interleaved; // [N, H, W, 3] BGR instead of [N, 3, H, W] RGB
    private final int width;
    private final int height;
    private final int capacity;
    private final OnnxJavaType type;
    private final int depth; // CV_32F or CV_16F, the tensor's element type in OpenCV's words
    private final Normalisation normalisation;
    private final double black; // a black pixel's value as the input planes hold it (see blackInPlaneUnits)
    private final ByteBuffer input;
    private final Mat[][] inputPlanes; // [image][plane] headers over the input buffer
    private final MatVector[] inputTargets; // [image]: the planes (or their top-left regions) put() writes
    private final int[] regionWidth; // [image]: the region inputTargets covers now
    private final int[] regionHeight;
    private final long[][] shapes; // shapes[n]: n images
    private final OnnxTensor[] pinnedInputs; // [n]: over the first n images of the input buffer
    private final OnnxTensor[] pinnedOutputs; // [n]: over the first n images of the output buffer
    private final IntPointer toPlanes = new IntPointer(BGR_TO_RGB_PLANES);
    private final IntPointer fromPlanes = new IntPointer(0, 2, 1, 1, 2, 0);
    private final Scratch[] scratch; // [image]
    private OnnxJavaType outputType;
    private ByteBuffer output;
    private Mat[][] outputPlanes;
    private MatVector[] outputSources; // [image]: its output planes, as pinnedImage() reads them

    /** One image's working memory, on the way in and on the way out. */
    private static final class Scratch implements AutoCloseable {
        final Mat scaled = new Mat(); // the image in the tensor's element type, channels still interleaved
        final MatVector in = new MatVector(1);
        final SameBits scaledBits = new SameBits();
        final Mat unscaled = new Mat(); // an output image in the tensor's element type, channels interleaved
        final MatVector out = new MatVector(1);
        final SameBits unscaledBits = new SameBits();

        @Override
        public void close() {
            scaled.close();
            in.close();
            scaledBits.close();
            unscaled.close();
            out.close();
            unscaledBits.close();
        }
    }

    /** @param type {@link OnnxJavaType#FLOAT} or {@link OnnxJavaType#FLOAT16} */
    public ImageTensors(int width, int height, OnnxJavaType type, Normalisation normalisation, int capacity) {
        this(false, width, height, type, normalisation, capacity);
    }

    private ImageTensors(boolean interleaved, int width, int height, OnnxJavaType type, Normalisation normalisation,
            int capacity) {
        if (width < 1 || height < 1 || capacity < 1) {
            throw new IllegalArgumentException("image tensors need a positive size and capacity, not " + width + "x"
                    + height + " x " + capacity);
        }
        this.interleaved = interleaved;
        this.width = width;
        this.height = height;
        this.capacity = capacity;
        this.type = type;
        this.depth = depthOf(type);
        this.normalisation = normalisation;
        this.black = blackInPlaneUnits(normalisation, depth);
        this.input = ByteBuffer.allocateDirect(capacity * imageBytes()).order(ByteOrder.nativeOrder());
        this.inputPlanes = planesOver(input, type);
        this.inputTargets = new MatVector[capacity];
        this.regionWidth = new int[capacity];
        this.regionHeight = new int[capacity];
        this.scratch = new Scratch[capacity];
        for (int i = 0; i < capacity; i++) {
            scratch[i] = new Scratch();
            inputTargets[i] = new MatVector(inputPlanes[i]);
            regionWidth[i] = width;
            regionHeight[i] = height;
        }
        this.shapes = new long[capacity + 1][];
        for (int n = 1; n <= capacity; n++) {
            shapes[n] = interleaved ? new long[] {n, height, width, 3} : new long[] {n, 3, height, width};
        }
        this.pinnedInputs = new OnnxTensor[capacity + 1];
        this.pinnedOutputs = new OnnxTensor[capacity + 1];
    }

    /**
     * Square float32 images of side {@code size}, one per run, as [1, size, size, 3] with the channels in BGR order
     * (FaceFusion's XSeg occluders). Only {@link #put} and {@link #pinnedInput} apply: such a model answers with a mask,
     * not an image.
     */
    public static ImageTensors interleavedBgr(int size, Normalisation normalisation) {
        return new ImageTensors(true, size, size, OnnxJavaType.FLOAT, normalisation, 1);
    }

    /** Square images of side {@code size}, as the face models take. */
    public static ImageTensors square(int size, OnnxJavaType type, Normalisation normalisation, int capacity) {
        return new ImageTensors(size, size, type, normalisation, capacity);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Images per run at most. */
    public int capacity() {
        return capacity;
    }

    /** Writes {@code image} (8-bit BGR or BGRA, exactly width × height, any stride) as image {@code index}. */
    public void put(int index, Mat image) {
        checkIndex(index);
        if (image.cols() != width || image.rows() != height) {
            throw new IllegalArgumentException("expected a " + width + "x" + height + " image, got " + image.cols()
                    + "x" + image.rows());
        }
        putTopLeft(index, image);
    }

    /**
     * Writes {@code image} (8-bit BGR or BGRA, at most width × height) into the top-left of image {@code index}; the
     * rest holds a black pixel's value, which is written only when the image's size changes (a letterbox).
     */
    public void putTopLeft(int index, Mat image) {
        checkIndex(index);
        int w = image.cols();
        int h = image.rows();
        if (w < 1 || h < 1 || w > width || h > height || image.depth() != CV_8U
                || (image.channels() != 3 && image.channels() != 4)) {
            throw new IllegalArgumentException("expected an 8-bit BGR(A) image of at most " + width + "x" + height
                    + ", got " + w + "x" + h + " type " + image.type());
        }
        Scratch s = scratch[index];
        if (interleaved) {
            putInterleaved(index, image, s);
            return;
        }
        if (w != regionWidth[index] || h != regionHeight[index]) {
            useRegion(index, w, h);
        }
        image.convertTo(s.scaled, CV_MAKETYPE(depth, image.channels()), normalisation.scale(), normalisation.offset());
        s.in.put(0, s.scaledBits.of(s.scaled));
        // mixChannels writes into the planes as they are (it never reallocates a destination): into the buffer.
        mixChannels(s.in, inputTargets[index], toPlanes, 3);
    }

    /** Interleaved BGR: the scaled values straight into the buffer, through BGRA's extra plane when there is one. */
    private void putInterleaved(int index, Mat image, Scratch s) {
        if (image.cols() != width || image.rows() != height) {
            throw new IllegalArgumentException("interleaved tensors take a whole " + width + "x" + height + " image");
        }
        Mat into = inputPlanes[index][0]; // the one height × width × 3 header over this image's place
        if (image.channels() == 3) {
            image.convertTo(into, CV_32FC3, normalisation.scale(), normalisation.offset()); // writes in place
        } else {
            image.convertTo(s.scaled, CV_32FC4, normalisation.scale(), normalisation.offset());
            s.in.put(0, s.scaled);
            mixChannels(s.in, inputTargets[index], BGRA_TO_BGR, 3);
        }
    }

    /** The region image {@code index}'s planes take, the rest filled with black's value. */
    private void useRegion(int index, int w, int h) {
        try (Rect r = new Rect(0, 0, w, h); Scalar fill = new Scalar(black)) {
            MatVector targets = new MatVector(3);
            for (int c = 0; c < 3; c++) {
                Mat plane = inputPlanes[index][c];
                plane.put(fill);
                try (Mat region = new Mat(plane, r)) {
                    targets.put(c, region); // the vector keeps its own header
                }
            }
            inputTargets[index].close();
            inputTargets[index] = targets;
        }
        regionWidth[index] = w;
        regionHeight[index] = h;
    }

    /**
     * Black's normalised value in the planes' own units: the value itself for float32; for float16, whose planes are
     * typed as the 16-bit unsigned elements with the same bits (see {@link SameBits}), the bit pattern of its half.
     */
    private static double blackInPlaneUnits(Normalisation normalisation, int depth) {
        if (depth != CV_16F) {
            return normalisation.offset();
        }
        try (Scalar value = new Scalar(normalisation.offset()); Mat single = new Mat(1, 1, CV_32F, value);
             Mat half = new Mat()) {
            single.convertTo(half, CV_16F);
            return half.data().getShort(0) & 0xffff;
        }
    }

    /**
     * The tensor over the first {@code n} images put in the input buffer, for runs made every frame: the model reads
     * the buffer as it is at the run, so one tensor serves every run. Made on first use; owned by this instance.
     */
    public OnnxTensor pinnedInput(int n) {
        checkCount(n);
        if (pinnedInputs[n] == null) {
            pinnedInputs[n] = tensorOver(input, type, n);
        }
        return pinnedInputs[n];
    }

    /**
     * The n×3×H×W output tensor of {@code type} over this instance's output buffer, for {@code OrtSession.run}'s
     * pinned outputs: the model writes its output straight into it. Made on first use; owned by this instance.
     */
    public OnnxTensor pinnedOutput(OnnxJavaType type, int n) {
        checkCount(n);
        if (interleaved) {
            throw new IllegalStateException("interleaved tensors are inputs only");
        }
        if (outputType == null) {
            depthOf(type);
            output = ByteBuffer.allocateDirect(capacity * 3 * width * height * bytesOf(type)).order(ByteOrder.nativeOrder());
            outputType = type;
            outputPlanes = planesOver(output, type);
            outputSources = new MatVector[capacity];
            for (int i = 0; i < capacity; i++) {
                outputSources[i] = new MatVector(outputPlanes[i]);
            }
        } else if (outputType != type) {
            throw new IllegalArgumentException("the output is " + outputType + ", not " + type);
        }
        if (pinnedOutputs[n] == null) {
            pinnedOutputs[n] = tensorOver(output, outputType, n);
        }
        return pinnedOutputs[n];
    }

    /** Image {@code index} of the last run's pinned output, as a new BGR image; the caller closes it. */
    public Mat pinnedImage(int index) {
        Mat out = new Mat();
        try {
            pinnedImage(index, out);
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /**
     * Image {@code index} of the last run's pinned output written into {@code into}, made height × width BGR first if
     * it is not already (a caller that keeps its images allocates nothing per run).
     */
    public void pinnedImage(int index, Mat into) {
        if (outputType == null || index < 0 || index >= capacity) {
            throw new IllegalStateException("no pinned output image " + index);
        }
        Scratch s = scratch[index];
        s.unscaled.create(height, width, CV_MAKETYPE(depthOf(outputType), 3));
        s.out.put(0, s.unscaledBits.of(s.unscaled));
        mixChannels(outputSources[index], s.out, fromPlanes, 3);
        // Rounds to nearest and saturates at 0 and 255 (NaN becomes 0).
        s.unscaled.convertTo(into, CV_8UC3, normalisation.std(), normalisation.mean());
    }

    /** The input buffer's values (position 0), for tests. */
    public FloatBuffer inputFloats() {
        if (type != OnnxJavaType.FLOAT) {
            throw new IllegalStateException("the input is " + type);
        }
        return input.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** The input buffer's fp16 bit patterns (position 0), for tests. */
    public ShortBuffer inputHalves() {
        if (type != OnnxJavaType.FLOAT16) {
            throw new IllegalStateException("the input is " + type);
        }
        return input.duplicate().order(ByteOrder.nativeOrder()).asShortBuffer();
    }

    private int imageBytes() {
        return 3 * width * height * bytesOf(type);
    }

    /**
     * [image][plane] headers over {@code buffer} of {@code elementType}, one height × width plane each; interleaved,
     * one height × width × 3 header per image.
     */
    private Mat[][] planesOver(ByteBuffer buffer, OnnxJavaType elementType) {
        int elementDepth = depthOf(elementType);
        if (interleaved) {
            int imageBytes = imageBytes();
            Mat[][] images = new Mat[capacity][1];
            for (int i = 0; i < capacity; i++) {
                ByteBuffer slice = buffer.duplicate().position(i * imageBytes).limit((i + 1) * imageBytes).slice();
                images[i][0] = new Mat(height, width, CV_32FC3, new BytePointer(slice));
            }
            return images;
        }
        int planeBytes = width * height * bytesOf(elementType);
        Mat[][] planes = new Mat[capacity][3];
        for (int i = 0; i < capacity; i++) {
            for (int c = 0; c < 3; c++) {
                ByteBuffer slice = buffer.duplicate().position((i * 3 + c) * planeBytes).limit((i * 3 + c + 1) * planeBytes)
                        .slice();
                planes[i][c] = new Mat(height, width, SameBits.shuffleType(CV_MAKETYPE(elementDepth, 1)),
                        new BytePointer(slice));
            }
        }
        return planes;
    }

    private OnnxTensor tensorOver(ByteBuffer buffer, OnnxJavaType elementType, int n) {
        int count = n * 3 * width * height;
        ByteBuffer view = buffer.duplicate().order(ByteOrder.nativeOrder());
        try {
            return elementType == OnnxJavaType.FLOAT
                    ? OnnxTensor.createTensor(OrtSessions.environment(), view.asFloatBuffer().limit(count), shapes[n])
                    : OnnxTensor.createTensor(OrtSessions.environment(), view.asShortBuffer().limit(count), shapes[n],
                            OnnxJavaType.FLOAT16);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot make a " + n + "x3x" + height + "x" + width + " tensor: "
                    + e.getMessage(), e);
        }
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= capacity) {
            throw new IndexOutOfBoundsException("image " + index + " of a batch of " + capacity);
        }
    }

    private void checkCount(int n) {
        if (n < 1 || n > capacity) {
            throw new IllegalArgumentException("a run takes 1 to " + capacity + " images, not " + n);
        }
    }

    private static int depthOf(OnnxJavaType type) {
        if (type == OnnxJavaType.FLOAT) {
            return CV_32F;
        }
        if (type == OnnxJavaType.FLOAT16) {
            return CV_16F;
        }
        throw new IllegalArgumentException("image tensors are float or float16, not " + type);
    }

    private static int bytesOf(OnnxJavaType type) {
        return depthOf(type) == CV_32F ? 4 : 2;
    }

    @Override
    public void close() {
        for (int n = 0; n <= capacity; n++) {
            if (pinnedInputs[n] != null) {
                pinnedInputs[n].close();
            }
            if (pinnedOutputs[n] != null) {
                pinnedOutputs[n].close();
            }
        }
        for (int i = 0; i < capacity; i++) {
            scratch[i].close();
            inputTargets[i].close();
            for (Mat plane : inputPlanes[i]) {
                plane.close();
            }
            if (outputPlanes != null) {
                outputSources[i].close();
                for (Mat plane : outputPlanes[i]) {
                    plane.close();
                }
            }
        }
        toPlanes.close();
        fromPlanes.close();
    }
}
