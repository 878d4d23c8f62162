package app.deeplive.engine.image;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A frame in memory the engine does not own (a shared-memory slot, a decoded image): a direct buffer plus its
 * geometry. The pipeline reads and writes the pixels in place through {@link #mat()}, an OpenCV header over the same
 * bytes; nothing is copied. Closing the view releases the header, never the memory.
 */
public final class FrameView implements AutoCloseable {
    private final ByteBuffer pixels;
    private final int width;
    private final int height;
    private final int stride;
    private final PixelFormat format;
    private BytePointer pointer;
    private Mat mat;

    private FrameView(ByteBuffer pixels, int width, int height, int stride, PixelFormat format) {
        this.pixels = pixels;
        this.width = width;
        this.height = height;
        this.stride = stride;
        this.format = format;
    }

    /**
     * Views {@code pixels} (direct, at least {@code stride * height} bytes from position 0) as a frame.
     *
     * @throws IllegalArgumentException if the geometry does not fit the buffer
     */
    public static FrameView wrap(ByteBuffer pixels, int width, int height, int stride, PixelFormat format) {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(format, "format");
        if (!pixels.isDirect()) {
            throw new IllegalArgumentException("frame buffer must be direct");
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive: " + width + "x" + height);
        }
        long rowBytes = (long) width * format.bytesPerPixel();
        if (stride < rowBytes) {
            throw new IllegalArgumentException("stride " + stride + " is shorter than a row of " + rowBytes + " bytes");
        }
        long needed = (long) stride * (height - 1) + rowBytes;
        if (needed > pixels.capacity()) {
            throw new IllegalArgumentException(
                    "frame " + width + "x" + height + " stride " + stride + " needs " + needed + " bytes, buffer has "
                            + pixels.capacity());
        }
        return new FrameView(pixels, width, height, stride, format);
    }

    /** Views a continuous or strided 8-bit BGR/BGRA Mat; the Mat must outlive the view. */
    public static FrameView of(Mat image) {
        PixelFormat format = switch (image.channels()) {
            case 3 -> PixelFormat.BGR;
            case 4 -> PixelFormat.BGRA;
            default -> throw new IllegalArgumentException("expected a BGR or BGRA image, got " + image.channels() + " channels");
        };
        if (image.depth() != 0) {
            throw new IllegalArgumentException("expected an 8-bit image");
        }
        int stride = (int) image.step();
        long bytes = (long) stride * (image.rows() - 1) + (long) image.cols() * format.bytesPerPixel();
        ByteBuffer buffer = image.data().capacity(bytes).asByteBuffer();
        return wrap(buffer, image.cols(), image.rows(), stride, format);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Bytes from the start of one row to the next. */
    public int stride() {
        return stride;
    }

    public PixelFormat format() {
        return format;
    }

    /** The pixels, position 0; shares memory with the frame. */
    public ByteBuffer pixels() {
        return pixels.duplicate().clear();
    }

    /** An OpenCV header over the frame's own memory (created once, owned by this view). */
    public Mat mat() {
        if (mat == null) {
            pointer = new BytePointer(pixels);
            mat = new Mat(height, width, format.cvType(), pointer, stride);
        }
        return mat;
    }

    @Override
    public void close() {
        if (mat != null) {
            mat.close();
            pointer.close();
            mat = null;
            pointer = null;
        }
    }
}
