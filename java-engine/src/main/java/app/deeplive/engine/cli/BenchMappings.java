package app.deeplive.engine.cli;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.pipeline.FaceMapping;
import app.deeplive.engine.pipeline.SwapModels;
import app.deeplive.engine.swap.Identity;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * {@code bench pipeline --mapped K}: face mappings for the leftmost K faces of the bench's frame, each referenced by
 * its own embedding (so it matches, as a streamer's reference photo does) and swapped to one fixed identity.
 */
final class BenchMappings {
    private BenchMappings() {}

    static List<FaceMapping> leftmost(int k, ByteBuffer bgraFrame, int width, int height, SwapModels models,
            Identity swappedTo) {
        try (BytePointer pixels = new BytePointer(bgraFrame);
             Mat frame = new Mat(height, width, opencv_core.CV_8UC4, pixels);
             Mat bgr = new Mat()) {
            cvtColor(frame, bgr, COLOR_BGRA2BGR);
            List<Face> faces = new ArrayList<>(models.detector().detect(bgr));
            if (faces.size() < k) {
                throw new UserFacingException("--mapped " + k + ": the bench frame shows only " + faces.size() + " faces");
            }
            faces.sort(Comparator.comparingDouble(f -> f.box().x1()));
            List<FaceMapping> mappings = new ArrayList<>();
            for (Face face : faces.subList(0, k)) {
                float[] embedding = models.recognizer().embed(bgr, face.kps());
                mappings.add(new FaceMapping(new Identity(embedding), swappedTo));
            }
            return mappings;
        }
    }
}
