package app.deeplive.engine.image;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import app.deeplive.engine.UserFacingException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Decodes image files into 8-bit BGR Mats: PNG (RGB, RGBA, grey, 16-bit), JPEG (EXIF orientation applied), BMP,
 * WebP and whatever else OpenCV's codecs read. Alpha is dropped, 16-bit samples are scaled to 8 bits. Anything that
 * does not decode completely is a one-line {@link UserFacingException}.
 */
public final class ImageLoader {
    private ImageLoader() {}

    /** The image as a new BGR Mat; the caller closes it. */
    public static Mat load(Path file) {
        byte[] data = read(file);
        if (data.length == 0) {
            throw failure(file, "the file is empty");
        }
        if (JpegCompleteness.isJpeg(data)) {
            String problem = JpegCompleteness.problem(data);
            if (problem != null) {
                throw failure(file, "JPEG data is " + problem);
            }
        }
        Mat image;
        // IMREAD_COLOR converts grey, alpha and 16-bit to 8-bit BGR and applies EXIF orientation.
        try (BytePointer bytes = new BytePointer(data); Mat encoded = new Mat(1, data.length, 0, bytes)) {
            image = imdecode(encoded, IMREAD_COLOR);
        }
        if (image == null || image.empty()) {
            if (image != null) {
                image.close();
            }
            throw failure(file, "not an image OpenCV can read (PNG, JPEG, BMP, WebP, TIFF) or the data is corrupt");
        }
        return image;
    }

    private static byte[] read(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw failure(file, "it is a directory");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw failure(file, "file not found");
        } catch (AccessDeniedException e) {
            throw failure(file, "permission denied");
        } catch (IOException e) {
            throw failure(file, e.getMessage());
        }
    }

    private static UserFacingException failure(Path file, String why) {
        return new UserFacingException("cannot decode image " + file + ": " + why);
    }
}
