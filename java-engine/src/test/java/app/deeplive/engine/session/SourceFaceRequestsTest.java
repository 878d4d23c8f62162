package app.deeplive.engine.session;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OBS filter sends its face mapping again with every settings change: a file's face is found once, and found
 * again only when the file changes on disk.
 */
class SourceFaceRequestsTest {
    @TempDir
    Path dir;

    private final AtomicInteger finds = new AtomicInteger();
    /** Embedding (mean blue, mean green); counts its calls. */
    private final SourceFaceFinder countingFinder = bgr -> {
        finds.incrementAndGet();
        try (Scalar m = mean(bgr)) {
            return new SourceFace(new float[] {0, 0, bgr.cols(), bgr.rows()}, 0.9f,
                    new float[] {(float) m.get(0), (float) m.get(1)});
        }
    };

    private Path write(String name, int blue, int green) {
        Path file = dir.resolve(name);
        try (Mat m = new Mat(16, 16, CV_8UC3, new Scalar(blue, green, 0, 0))) {
            imwrite(file.toString(), m);
        }
        return file;
    }

    @Test
    void aFileIsReadOnceUntilItChangesOnDisk() throws Exception {
        SourceFaceRequests requests = new SourceFaceRequests(new SourceImages(), countingFinder);
        Path face = write("face.png", 200, 0);
        float[] first = requests.fromPath(face.toString()).identity().embedding();
        requests.fromPath(face.toString());
        requests.fromPath(dir.resolve(".").resolve("face.png").toString()); // the same file by another name
        assertEquals(1, finds.get(), "found once for three requests");

        write("face.png", 0, 200);
        Files.setLastModifiedTime(face, FileTime.from(Instant.now().plusSeconds(5))); // whatever the clock's grain
        float[] second = requests.fromPath(face.toString()).identity().embedding();
        assertEquals(2, finds.get(), "a changed file is read again");
        assertArrayEquals(new float[] {1, 0}, first, 1e-6f);
        assertArrayEquals(new float[] {0, 1}, second, 1e-6f);
    }

    @Test
    void aFileThatCannotBeReadIsNotRememberedAndSaysWhy() {
        SourceFaceRequests requests = new SourceFaceRequests(new SourceImages(), countingFinder);
        String missing = dir.resolve("gone.png").toString();
        assertThrows(RequestRejected.class, () -> requests.fromPath(missing));
        write("gone.png", 200, 0);
        requests.fromPath(missing);
        assertEquals(1, finds.get());
    }
}
