package app.deeplive.engine.session;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.image.ImageHeader;
import app.deeplive.engine.session.RequestRejected.Reason;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceImagesTest {
    @TempDir
    Path dir;

    private final SourceImages images = new SourceImages();

    static byte[] encoded(String ext, int width, int height) {
        try (Mat m = new Mat(height, width, CV_8UC3, new Scalar(10, 20, 30, 0)); BytePointer out = new BytePointer()) {
            assertTrue(imencode(ext, m, out));
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }

    private static Reason reasonOf(Runnable r) {
        return assertThrows(RequestRejected.class, r::run).reason();
    }

    @Test
    void decodesJpegPngAndBmpFromFilesAndBase64() throws Exception {
        for (String ext : new String[] {".jpg", ".png", ".bmp"}) {
            byte[] data = encoded(ext, 40, 30);
            assertEquals(40, ImageHeader.dimensions(data)[0], ext);
            assertEquals(30, ImageHeader.dimensions(data)[1], ext);
            Path file = Files.write(dir.resolve("face" + ext), data);
            try (Mat m = images.fromPath(file.toString())) {
                assertEquals(40, m.cols());
                assertEquals(30, m.rows());
                assertEquals(3, m.channels());
            }
            try (Mat m = images.fromBase64(Base64.getEncoder().encodeToString(data))) {
                assertEquals(40, m.cols());
            }
        }
    }

    @Test
    void aMissingPathADirectoryAndAnInvalidNameAreRejected() {
        assertEquals(Reason.NOT_FOUND, reasonOf(() -> images.fromPath(dir.resolve("nope.jpg").toString())));
        assertEquals(Reason.BAD_REQUEST, reasonOf(() -> images.fromPath(dir.toString())));
        assertEquals(Reason.BAD_REQUEST, reasonOf(() -> images.fromPath("a\0b")));
    }

    @Test
    void aFileTheEngineMayNotReadIsForbiddenAndOneItMayReadIsRead() throws Exception {
        Path file = Files.write(dir.resolve("secret.jpg"), encoded(".jpg", 8, 8));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        // The operating system decides what the engine may read, not the permission bits as such: root may read it.
        if (Files.isReadable(file)) {
            try (Mat m = images.fromPath(file.toString())) {
                assertEquals(8, m.cols());
            }
        } else {
            assertEquals(Reason.FORBIDDEN, reasonOf(() -> images.fromPath(file.toString())));
        }
    }

    @Test
    void aFifoOrADeviceIsRefusedWithoutOpeningIt() throws Exception {
        // Opening a FIFO would block until a writer comes and /dev/zero never ends: both are refused unread, even
        // behind a symbolic link and even for root.
        Path fifo = dir.resolve("face.jpg");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        Path link = Files.createSymbolicLink(dir.resolve("link.jpg"), fifo);
        for (Path p : new Path[] {fifo, link, Path.of("/dev/zero")}) {
            assertEquals(Reason.BAD_REQUEST, assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> reasonOf(() -> images.fromPath(p.toString()))), p.toString());
        }
    }

    @Test
    void aFileOverTheByteLimitIsRejectedBeforeDecoding() throws Exception {
        SourceImages small = new SourceImages(1000, SourceImages.MAX_PIXELS);
        Path file = Files.write(dir.resolve("big.png"), new byte[1001]);
        assertEquals(Reason.TOO_LARGE, reasonOf(() -> small.fromPath(file.toString())));
        String base64 = Base64.getEncoder().encodeToString(new byte[2000]);
        assertEquals(Reason.TOO_LARGE, reasonOf(() -> small.fromBase64(base64)));
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeader() {
        // A PNG header that claims 100000 x 100000 pixels: refused without allocating them.
        byte[] png = encoded(".png", 4, 4);
        ByteBuffer.wrap(png).putInt(16, 100_000).putInt(20, 100_000);
        assertEquals(Reason.TOO_LARGE, reasonOf(() -> images.decode(png)));
        byte[] jpg = encoded(".jpg", 4, 4);
        int[] size = ImageHeader.dimensions(jpg);
        assertEquals(4, size[0]);
    }

    @Test
    void corruptTruncatedAndUnknownDataAreBadImages() {
        byte[] png = encoded(".png", 64, 64);
        assertEquals(Reason.BAD_IMAGE, reasonOf(() -> images.decode(Arrays.copyOf(png, 40))));
        byte[] garbage = png.clone();
        for (int i = 40; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 31);
        }
        assertEquals(Reason.BAD_IMAGE, reasonOf(() -> images.decode(garbage)));
        assertEquals(Reason.BAD_IMAGE, reasonOf(() -> images.decode("GIF89a not supported".getBytes())));
        assertEquals(Reason.BAD_IMAGE, reasonOf(() -> images.decode(new byte[0])));
        assertEquals(Reason.BAD_IMAGE, reasonOf(() -> images.decode(new byte[] {(byte) 0xFF, (byte) 0xD8})));
        assertEquals(Reason.BAD_REQUEST, reasonOf(() -> images.fromBase64("not base64 !!")));
    }
}
