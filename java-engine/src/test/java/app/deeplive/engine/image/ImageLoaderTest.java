package app.deeplive.engine.image;

import static org.bytedeco.opencv.global.opencv_core.CV_16UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.testing.MalformedImages;
import app.deeplive.engine.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void decodesARealJpegToBgr() {
        try (Mat m = ImageLoader.load(SharedData.photo("t1.jpg"))) {
            assertEquals(CV_8UC3, m.type());
            assertTrue(m.cols() > 0 && m.rows() > 0);
        }
    }

    @Test
    void pngVariantsAllBecome8BitBgr() {
        Path grey = write("grey.png", new Mat(10, 20, CV_8UC1, new Scalar(200.0)));
        Path deep = write("deep.png", new Mat(10, 20, CV_16UC1, new Scalar(65535.0)));
        Path rgba = write("rgba.png", new Mat(10, 20, CV_8UC4, new Scalar(10, 20, 30, 128)));
        for (Path p : new Path[] {grey, deep, rgba}) {
            try (Mat m = ImageLoader.load(p)) {
                assertEquals(CV_8UC3, m.type(), p.toString());
                assertEquals(20, m.cols());
                assertEquals(10, m.rows());
            }
        }
        assertArrayEquals(new int[] {200, 200, 200}, pixel(grey, 5, 5));
        assertArrayEquals(new int[] {255, 255, 255}, pixel(deep, 5, 5));
        assertArrayEquals(new int[] {10, 20, 30}, pixel(rgba, 5, 5));
    }

    @Test
    void decodesBmpAndWebpWhenOpenCvHasIt() {
        Path bmp = write("image.bmp", new Mat(8, 8, CV_8UC3, new Scalar(1, 2, 3, 0)));
        assertArrayEquals(new int[] {1, 2, 3}, pixel(bmp, 4, 4));
        Path webp = tmp.resolve("image.webp");
        boolean canWebp;
        try (Mat m = new Mat(8, 8, CV_8UC3, new Scalar(50, 100, 150, 0))) {
            canWebp = imwrite(webp.toString(), m);
        } catch (RuntimeException e) {
            canWebp = false;
        }
        assumeTrue(canWebp, "this OpenCV build has no WebP codec");
        try (Mat m = ImageLoader.load(webp)) {
            assertEquals(8, m.cols());
        }
    }

    @Test
    void appliesExifOrientation() throws Exception {
        // A 40×20 image marked "rotate 90° clockwise to display" must come out 20×40.
        byte[] jpeg;
        try (Mat m = new Mat(20, 40, CV_8UC3, new Scalar(90, 90, 90, 0)); BytePointer buf = new BytePointer()) {
            assertTrue(imencode(".jpg", m, buf));
            jpeg = buf.getStringBytes();
        }
        byte[] exif = {(byte) 0xFF, (byte) 0xE1, 0, 34, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8,
            0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(exif);
        out.write(jpeg, 2, jpeg.length - 2);
        Path rotated = Files.write(tmp.resolve("rotated.jpg"), out.toByteArray());
        try (Mat m = ImageLoader.load(rotated)) {
            assertEquals(20, m.cols());
            assertEquals(40, m.rows());
        }
    }

    @Test
    void aTruncatedJpegIsAClearError() throws Exception {
        byte[] whole = Files.readAllBytes(SharedData.photo("obama.jpg"));
        Path cut = Files.write(tmp.resolve("cut.jpg"), Arrays.copyOf(whole, whole.length * 2 / 3));
        UserFacingException e = assertThrows(UserFacingException.class, () -> ImageLoader.load(cut));
        assertEquals("cannot decode image " + cut + ": JPEG data is truncated (no end-of-image marker): copy or export the image again", e.getMessage());
    }

    @Test
    void aTruncatedPngIsAClearErrorAndTheWholeOneIsAccepted() throws Exception {
        byte[] whole = Files.readAllBytes(SharedData.photo("Tom_Hanks_54745.png"));
        assertEquals(null, PngCompleteness.problem(whole));
        Path cut = Files.write(tmp.resolve("cut.png"), Arrays.copyOf(whole, whole.length * 2 / 3));
        assertMessage("cannot decode image " + cut + ": PNG data is truncated (inside a chunk): copy or export the "
                + "image again", cut);
        Path noEnd = Files.write(tmp.resolve("no-end.png"), Arrays.copyOf(whole, whole.length - 12));
        assertMessage("cannot decode image " + noEnd + ": PNG data is truncated (no IEND chunk): copy or export the "
                + "image again", noEnd);
    }

    @Test
    void theWholeJpegIsAccepted() throws Exception {
        for (String photo : new String[] {"obama.jpg", "obama2.jpg", "obama3.jpg", "biden.jpg", "biden2.jpg",
            "Rob_Lowe_0001.jpg", "Rob_Lowe_0002.jpg", "t1.jpg"}) {
            assertEquals(null, JpegCompleteness.problem(Files.readAllBytes(SharedData.photo(photo))), photo);
        }
    }

    @Test
    void unreadableFilesAreOneLineErrorsThatSayWhatToDo() throws Exception {
        Path missing = tmp.resolve("missing.png");
        Path empty = Files.write(tmp.resolve("empty.jpg"), new byte[0]);
        Path text = Files.writeString(tmp.resolve("notes.png"), "not an image");
        assertMessage("cannot decode image " + missing + ": file not found: check the path", missing);
        assertMessage("cannot decode image " + empty + ": the file is empty (0 bytes): copy or export the image again",
                empty);
        assertMessage("cannot decode image " + tmp + ": it is a directory: give an image file", tmp);
        assertMessage("cannot decode image " + text + ": not a PNG, JPEG, BMP, WebP or TIFF image, or the data is "
                + "corrupt: export it again as PNG or JPEG", text);
    }

    @Test
    void aHeaderClaimingMoreThanTheLimitIsRefusedBeforeDecoding() throws Exception {
        Path png = Files.write(tmp.resolve("huge.png"), MalformedImages.png(60000, 60000));
        Path bmp = Files.write(tmp.resolve("huge.bmp"), MalformedImages.bmp(70000, -70000));
        assertMessage("cannot decode image " + png + ": its header gives 60000x60000 pixels, more than the "
                + "268-megapixel limit: scale the image down", png);
        assertMessage("cannot decode image " + bmp + ": its header gives 70000x70000 pixels, more than the "
                + "268-megapixel limit: scale the image down", bmp);
    }

    @Test
    void aHeaderGivingNoPixelsIsCorrupt() throws Exception {
        Path png = Files.write(tmp.resolve("zero.png"), MalformedImages.png(0, 480));
        assertMessage("cannot decode image " + png + ": its header gives an invalid size 0x480: the file is corrupt; "
                + "export the image again", png);
    }

    @Test
    void aPipeIsRefusedWithoutOpeningIt() {
        Path fifo = tmp.resolve("camera.jpg");
        assumeTrue(MalformedImages.fifo(fifo), "no mkfifo on this system");
        // Opening a FIFO for reading blocks until a writer comes: the refusal must come from its metadata.
        UserFacingException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(UserFacingException.class, () -> ImageLoader.load(fifo)));
        assertEquals("cannot decode image " + fifo + ": it is not a regular file (a pipe, device or socket): save the "
                + "image to a file first", e.getMessage());
    }

    private static void assertMessage(String expected, Path p) {
        assertEquals(expected, assertThrows(UserFacingException.class, () -> ImageLoader.load(p)).getMessage());
    }

    private Path write(String name, Mat image) {
        Path p = tmp.resolve(name);
        try (image) {
            assertTrue(imwrite(p.toString(), image));
        }
        return p;
    }

    private static int[] pixel(Path p, int x, int y) {
        try (Mat m = ImageLoader.load(p); UByteIndexer idx = m.createIndexer()) {
            return new int[] {idx.get(y, x, 0), idx.get(y, x, 1), idx.get(y, x, 2)};
        }
    }
}
