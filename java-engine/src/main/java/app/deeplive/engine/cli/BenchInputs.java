package app.deeplive.engine.cli;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2BGRA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.image.ImageLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/** What the bench commands feed the pipeline: a 1080p frame made from a photo, the shared test files, run counts. */
final class BenchInputs {
    private BenchInputs() {}

    /** The photo letterboxed (centred, black bars) into a 1920×1080 BGRA frame, as OBS would hand it over. */
    static Mat hdFrame(Path source) {
        Mat frame = new Mat(1080, 1920, CV_8UC4, new Scalar(0, 0, 0, 255));
        try (Mat photo = ImageLoader.load(source); Mat bgra = new Mat()) {
            double scale = Math.min(1920.0 / photo.cols(), 1080.0 / photo.rows());
            int w = (int) Math.round(photo.cols() * scale);
            int h = (int) Math.round(photo.rows() * scale);
            cvtColor(photo, bgra, COLOR_BGR2BGRA);
            try (Rect r = new Rect((1920 - w) / 2, (1080 - h) / 2, w, h); Mat roi = new Mat(frame, r);
                    Size size = new Size(w, h)) {
                resize(bgra, roi, size, 0, 0, INTER_AREA);
            }
        } catch (RuntimeException e) {
            frame.close();
            throw e;
        }
        return frame;
    }

    /** A file of the shared test data; a one-line error saying how to pass it if it is not there. */
    static Path shared(String folder, String name) {
        Path p = sharedOrNull(folder, name);
        if (p == null) {
            throw new UserFacingException("shared test file " + folder + "/" + name + " not found: pass it with an "
                    + "option or set DLF_SHARED_DIR", 2, null);
        }
        return p;
    }

    /** {@code $DLF_SHARED_DIR/folder/name}, else {@code ../shared} or {@code ../../shared} from the working directory. */
    static Path sharedOrNull(String folder, String name) {
        String env = System.getenv("DLF_SHARED_DIR");
        for (Path root : new Path[] {env == null || env.isBlank() ? null : Path.of(env), Path.of("..", "shared"),
            Path.of("..", "..", "shared")}) {
            if (root != null && Files.isRegularFile(root.resolve(folder).resolve(name))) {
                return root.resolve(folder).resolve(name).toAbsolutePath().normalize();
            }
        }
        return null;
    }

    /** The timed-run counts every single-model bench takes: at least one timed run, no negative warm-up. */
    static void requireRuns(int iterations, int warmup) {
        // A usage error with one line per bad option (OneLineErrors prints each with the help pointer).
        String problems = (iterations < 1 ? "--iterations " + iterations + ": must be at least 1\n" : "")
                + (warmup < 0 ? "--warmup " + warmup + ": must not be negative" : "");
        if (!problems.isEmpty()) {
            throw new UserFacingException(problems.strip(), 2, null);
        }
    }
}
