package app.deeplive.engine.session;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import app.deeplive.engine.image.ImageHeader;
import app.deeplive.engine.session.RequestRejected.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Turns what a client sends as a source image (a file path or base64 bytes) into a BGR image, within limits: the
 * file must be a regular file the engine may read, at most {@link #MAX_BYTES}, and at most {@link #MAX_PIXELS}
 * pixels according to its header, checked before decoding. Every failure is a {@link RequestRejected}.
 */
public final class SourceImages {
    public static final long MAX_BYTES = 32L << 20;
    public static final long MAX_PIXELS = 64_000_000L;

    private final long maxBytes;
    private final long maxPixels;

    public SourceImages() {
        this(MAX_BYTES, MAX_PIXELS);
    }

    public SourceImages(long maxBytes, long maxPixels) {
        this.maxBytes = maxBytes;
        this.maxPixels = maxPixels;
    }

    /** Reads and decodes the file at {@code path}; the caller closes the returned Mat. */
    public Mat fromPath(String path) {
        Path p;
        try {
            p = Path.of(path);
        } catch (RuntimeException e) { // InvalidPathException: NUL bytes and the like
            throw new RequestRejected(Reason.BAD_REQUEST, "path is not a valid file name");
        }
        if (!Files.exists(p)) {
            throw new RequestRejected(Reason.NOT_FOUND, "source image not found: " + path);
        }
        if (!Files.isRegularFile(p)) {
            throw new RequestRejected(Reason.BAD_REQUEST, "source image is not a regular file: " + path);
        }
        byte[] data;
        try (InputStream in = Files.newInputStream(p)) {
            data = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
        } catch (AccessDeniedException e) {
            throw new RequestRejected(Reason.FORBIDDEN, "the engine may not read " + path + " (check its permissions)");
        } catch (NoSuchFileException e) {
            throw new RequestRejected(Reason.NOT_FOUND, "source image not found: " + path);
        } catch (IOException e) {
            throw new RequestRejected(Reason.BAD_IMAGE, "could not read " + path + ": " + e.getMessage());
        }
        if (data.length > maxBytes) {
            throw new RequestRejected(Reason.TOO_LARGE, "source image is larger than " + (maxBytes >> 20) + " MiB: " + path);
        }
        return decode(data);
    }

    /** Decodes base64 image bytes (standard alphabet, padding optional); the caller closes the returned Mat. */
    public Mat fromBase64(String base64) {
        if ((long) base64.length() * 3 / 4 > maxBytes + 3) {
            throw new RequestRejected(Reason.TOO_LARGE, "source image is larger than " + (maxBytes >> 20) + " MiB");
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new RequestRejected(Reason.BAD_REQUEST, "image is not valid base64: " + e.getMessage());
        }
        return decode(data);
    }

    /** Decodes encoded image bytes after checking the header's size; the caller closes the returned Mat. */
    public Mat decode(byte[] data) {
        if (data.length == 0) {
            throw new RequestRejected(Reason.BAD_IMAGE, "source image is empty");
        }
        int[] size = ImageHeader.dimensions(data);
        if (size == null) {
            throw new RequestRejected(Reason.BAD_IMAGE,
                    "source image is not a readable JPEG, PNG, BMP or WebP (corrupt or another format)");
        }
        if (size[0] <= 0 || size[1] <= 0) {
            throw new RequestRejected(Reason.BAD_IMAGE, "source image header gives an invalid size " + size[0] + "x" + size[1]);
        }
        if ((long) size[0] * size[1] > maxPixels) {
            throw new RequestRejected(Reason.TOO_LARGE, "source image is " + size[0] + "x" + size[1] + ", more than "
                    + maxPixels / 1_000_000 + " megapixels; use a smaller picture of the face");
        }
        Mat image;
        try (BytePointer bytes = new BytePointer(data); Mat encoded = new Mat(1, data.length, org.bytedeco.opencv.global.opencv_core.CV_8UC1, bytes)) {
            image = imdecode(encoded, IMREAD_COLOR);
        }
        if (image == null || image.empty()) {
            if (image != null) {
                image.close();
            }
            throw new RequestRejected(Reason.BAD_IMAGE, "source image could not be decoded (corrupt or truncated file)");
        }
        return image;
    }
}
