package app.deeplive.engine.image;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import app.deeplive.engine.UserFacingException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Decodes image files into 8-bit BGR Mats: PNG (RGB, RGBA, grey, 16-bit), JPEG (EXIF orientation applied), BMP,
 * WebP and whatever else OpenCV's codecs read. Alpha is dropped, 16-bit samples are scaled to 8 bits.
 *
 * <p>Anything that does not decode completely is a one-line {@link UserFacingException} that names the file and
 * says what to do. Before the file is opened it must be a regular file (a pipe or a device would block or never
 * end) of at most {@link #MAX_BYTES}; before any pixel is allocated its header must give a size of at most
 * {@link #MAX_PIXELS}. A decoder failure never surfaces as the codec's own text.
 */
public final class ImageLoader {
    /** Largest file read: far above any photo, well below what a Java array holds. */
    public static final long MAX_BYTES = 512L << 20;
    /** Largest image decoded (16384 × 16384): a 3-byte BGR copy of it is already 768 MiB. */
    public static final long MAX_PIXELS = 1L << 28;

    private ImageLoader() {}

    /** The image as a new BGR Mat; the caller closes it. */
    public static Mat load(Path file) {
        byte[] data = read(file);
        if (data.length == 0) {
            throw failure(file, "the file is empty (0 bytes): copy or export the image again");
        }
        if (JpegCompleteness.isJpeg(data)) {
            String problem = JpegCompleteness.problem(data);
            if (problem != null) {
                throw failure(file, "JPEG data is " + problem + ": copy or export the image again");
            }
        }
        if (PngCompleteness.isPng(data)) {
            String problem = PngCompleteness.problem(data);
            if (problem != null) {
                throw failure(file, "PNG data is " + problem + ": copy or export the image again");
            }
        }
        int[] size = ImageHeader.dimensions(data);
        if (size != null) {
            if (size[0] <= 0 || size[1] <= 0) {
                throw failure(file, "its header gives an invalid size " + size[0] + "x" + size[1]
                        + ": the file is corrupt; export the image again");
            }
            if ((long) size[0] * size[1] > MAX_PIXELS) {
                throw failure(file, "its header gives " + size[0] + "x" + size[1] + " pixels, more than the "
                        + (MAX_PIXELS / 1_000_000) + "-megapixel limit: scale the image down");
            }
        }
        Mat image;
        // IMREAD_COLOR converts grey, alpha and 16-bit to 8-bit BGR and applies EXIF orientation.
        try (BytePointer bytes = new BytePointer(data); Mat encoded = new Mat(1, data.length, 0, bytes)) {
            image = imdecode(encoded, IMREAD_COLOR);
        } catch (RuntimeException e) { // the codec's assertions (size limits, corrupt headers): not for the user
            throw failure(file, "the decoder refused it (corrupt data or a size it cannot hold): export it again as PNG or JPEG");
        }
        if (image == null || image.empty()) {
            if (image != null) {
                image.close();
            }
            throw failure(file, "not a PNG, JPEG, BMP, WebP or TIFF image, or the data is corrupt: "
                    + "export it again as PNG or JPEG");
        }
        return image;
    }

    private static byte[] read(Path file) {
        try {
            // The file's type from its metadata, before it is opened: opening a FIFO would wait for a writer.
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                throw failure(file, "it is a directory: give an image file");
            }
            if (!attributes.isRegularFile()) {
                throw failure(file, "it is not a regular file (a pipe, device or socket): save the image to a file first");
            }
            if (attributes.size() > MAX_BYTES) {
                throw failure(file, "the file is " + (attributes.size() >> 20) + " MiB, more than the "
                        + (MAX_BYTES >> 20) + " MiB limit: scale the image down or save it compressed");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw failure(file, "file not found: check the path");
        } catch (AccessDeniedException e) {
            throw failure(file, "permission denied: make the file readable");
        } catch (IOException e) {
            throw failure(file, "cannot read it (" + e.getMessage() + "): check the path and the disk");
        }
    }

    private static UserFacingException failure(Path file, String why) {
        return new UserFacingException("cannot decode image " + file + ": " + why);
    }
}
