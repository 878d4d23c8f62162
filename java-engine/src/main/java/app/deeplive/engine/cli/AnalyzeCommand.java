package app.deeplive.engine.cli;

import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.analysis.recognize.ArcFaceRecognizer;
import app.deeplive.engine.image.ImageLoader;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.pipeline.ModelLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bytedeco.opencv.opencv_core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code analyze IMAGE...}: faces found in each image, one JSON object per line. */
@Command(
        name = "analyze",
        mixinStandardHelpOptions = true,
        description = {
                "Detect faces (SCRFD) in each image and print one JSON line per image: "
                        + "{\"image\", \"width\", \"height\", \"faces\": [{\"box\", \"score\", \"kps\", \"embedding\"}]}, "
                        + "faces highest score first; \"embedding\" (L2-normalised) only with --recognizer.",
                "An image that cannot be read prints {\"image\", \"error\"}, and the error on stderr; the others still "
                        + "run and the exit code is 1."})
final class AnalyzeCommand implements Callable<Integer> {
    @Option(names = "--detector", paramLabel = "FILE",
            description = "SCRFD detector .onnx (default: det_10g from the model manifest).")
    Path detector;

    @Option(names = "--recognizer", paramLabel = "FILE",
            description = "ArcFace-style recogniser .onnx (e.g. w600k_r50.onnx); adds each face's embedding.")
    Path recognizer;

    @Option(names = "--threshold", paramLabel = "T", defaultValue = "0.5",
            description = "Minimum face score (default: ${DEFAULT-VALUE}).")
    float threshold;

    @Option(names = "--nms", paramLabel = "N", defaultValue = "0.4",
            description = "Overlap (IoU) above which the weaker of two faces is dropped (default: ${DEFAULT-VALUE}).")
    float nms;

    @Option(names = "--det-size", paramLabel = "S",
            description = "Detector input side, a multiple of 32 (default: 640, or the model's fixed size).")
    int detSize;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "PNG, JPEG, BMP or WebP files.")
    List<Path> images;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        DetectorSettings settings = settings();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failures = 0;
        try (ModelLoader load = ModelLoader.failFast(OrtConfig.defaults())) {
            ScrfdDetector det = load.detector(detector, settings);
            ArcFaceRecognizer rec = recognizer == null ? null : load.recognizer(recognizer);
            for (Path image : images) {
                String name = image.toString();
                try (Mat frame = ImageLoader.load(image)) {
                    List<Face> faces = det.detect(frame);
                    if (rec != null) {
                        faces = faces.stream().map(f -> rec.recognise(frame, f)).toList();
                    }
                    out.println(FaceJson.image(name, frame.cols(), frame.rows(), faces));
                } catch (RuntimeException e) {
                    // This image only: say why on both streams and go on with the next one.
                    String why = e instanceof UserFacingException ? OneLineErrors.oneLine(e.getMessage())
                            : "cannot analyse image " + name + ": " + OneLineErrors.unexpected(e);
                    out.println(FaceJson.error(name, why));
                    err.println("error: " + why);
                    err.flush();
                    failures++;
                }
                out.flush();
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private DetectorSettings settings() {
        new OptionChecks(spec)
                .check(threshold >= 0 && threshold <= 1, "--threshold", threshold, "must be a face score between 0 and 1")
                .check(nms >= 0 && nms <= 1, "--nms", nms, "must be an overlap between 0 and 1")
                .check(detSize >= 0 && detSize % 32 == 0, "--det-size", detSize, "must be a positive multiple of 32")
                .done();
        try {
            return new DetectorSettings(detSize, threshold, nms);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(e.getMessage() + ": check --det-size, --threshold and --nms", 2, e); // backstop
        }
    }
}
