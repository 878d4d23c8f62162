package app.deeplive.engine.cli;

import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;


import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.analysis.detect.DetectionTimings;
import app.deeplive.engine.analysis.detect.DetectorInput;
import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.analysis.recognize.ArcFaceRecognizer;
import app.deeplive.engine.analysis.recognize.RecognitionTimings;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.onnx.OrtSessions;
import app.deeplive.engine.pipeline.ModelLoader;
import app.deeplive.engine.track.FaceFlow;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench analysis}: face detection on a 1080p BGRA frame (the live path's format) split into pre-processing,
 * ONNX Runtime run and decode+NMS, then alignment+embedding per face.
 */
@Command(
        name = "analysis",
        mixinStandardHelpOptions = true,
        description = "Time SCRFD detection stages on a 1920x1080 BGRA frame and ArcFace alignment+embedding per face; "
                + "prints one JSON object.")
final class BenchAnalysisCommand implements Callable<Integer> {
    private static final String[] SHARED_DETECTORS = {"scrfd_2.5g_bnkps.onnx", "scrfd_500m_bnkps.onnx"};

    @Option(names = "--detector", paramLabel = "FILE",
            description = "SCRFD model(s) to time (default: the shared test models in $DLF_SHARED_DIR or ../shared).")
    List<Path> detectors = new ArrayList<>();

    @Option(names = "--recognizer", paramLabel = "FILE",
            description = "Recogniser to time (default: shared mobilefacenet.onnx if found).")
    Path recognizer;

    @Option(names = "--photo", paramLabel = "FILE",
            description = "Photo letterboxed into the 1080p frame (default: shared photos/t1.jpg).")
    Path photo;

    @Option(names = "--det-size", paramLabel = "S", defaultValue = "640", description = "Detector input side (default: 640).")
    int detSize;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "50", description = "Timed runs (default: 50).")
    int iterations;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "5", description = "Untimed runs first (default: 5).")
    int warmup;

    @Mixin
    OrtThreadsOption threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        BenchInputs.requireRuns(iterations, warmup);
        List<Path> models = detectors.isEmpty() ? sharedDetectors() : detectors;
        Path source = photo != null ? photo : BenchInputs.shared("photos", "t1.jpg");
        OrtConfig config = threads.config();
        ObjectNode report = FaceJson.MAPPER.createObjectNode();
        report.put("benchmark", "analysis");
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("intra_op_threads", threads.threads);
        report.put("iterations", iterations);
        try (Mat frame = BenchInputs.hdFrame(source); FrameView view = FrameView.of(frame)) {
            ObjectNode f = report.putObject("frame");
            f.put("width", frame.cols()).put("height", frame.rows()).put("format", "BGRA").put("source", source.toString());
            ArrayNode results = report.putArray("detectors");
            List<Face> faces = List.of();
            for (Path model : models) {
                List<Face> found = benchDetector(model, config, view, results.addObject());
                if (faces.isEmpty()) {
                    faces = found;
                }
            }
            if (!faces.isEmpty()) {
                benchTracking(frame, faces, report.putObject("tracking"));
            }
            Path rec = recognizer != null ? recognizer : BenchInputs.sharedOrNull("models", "mobilefacenet.onnx");
            if (rec != null && !faces.isEmpty()) {
                benchRecognizer(rec, config, frame, faces, report.putObject("recognition"));
            }
        }
        spec.commandLine().getOut().println(report.toPrettyString());
        spec.commandLine().getOut().flush();
        return 0;
    }

    private List<Face> benchDetector(Path model, OrtConfig config, FrameView frame, ObjectNode out) {
        Timings pre = new Timings();
        Timings run = new Timings();
        Timings post = new Timings();
        Timings total = new Timings();
        List<Face> faces;
        try (ModelLoader load = ModelLoader.failFast(config)) {
            ScrfdDetector det = load.detector(model, DetectorSettings.defaults().withInputSize(detSize));
            for (int i = 0; i < warmup; i++) {
                det.detect(frame);
            }
            faces = List.of();
            for (int i = 0; i < iterations; i++) {
                faces = det.detect(frame);
                DetectionTimings t = det.lastTimings();
                pre.add(t.preprocessNanos());
                run.add(t.inferenceNanos());
                post.add(t.decodeNanos());
                total.add(t.preprocessNanos() + t.inferenceNanos() + t.decodeNanos());
            }
            out.put("model", String.valueOf(model.getFileName()));
            out.put("provider", OrtSessions.displayName(det.model().provider()));
            out.put("det_size", det.inputSize());
            out.put("faces", faces.size());
        }
        out.set("preprocess_ms", pre.toJson());
        out.set("run_ms", run.toJson());
        out.set("decode_nms_ms", post.toJson());
        out.set("total_ms", total.toJson());
        out.put("pre_plus_post_vs_run_percent",
                Timings.round(100 * (pre.meanMs() + post.meanMs()) / Math.max(1e-9, run.meanMs())));
        return faces;
    }

    /**
     * What a frame between detections costs instead: each face followed by optical flow into a copy of the frame
     * moved by a few pixels (seed + follow), and the frame's copy for the detector beside the stages.
     */
    private void benchTracking(Mat frame, List<Face> faces, ObjectNode out) {
        Timings follow = new Timings();
        Timings copy = new Timings();
        try (Mat moved = new Mat(); Mat shift = SimilarityTransform.of(1, 0, 3, 2).toMat();
                Size size = new Size(frame.cols(), frame.rows())) {
            warpAffine(frame, moved, shift, size);
            try (FrameView before = FrameView.of(frame); FrameView after = FrameView.of(moved);
                    FaceFlow flow = new FaceFlow();
                    DetectorInput input = new DetectorInput(DetectorSettings.DEFAULT_INPUT_SIZE)) {
                for (int i = 0; i < warmup + iterations; i++) {
                    for (Face face : faces) {
                        long t0 = System.nanoTime();
                        flow.seed(before, face.box());
                        flow.follow(after);
                        if (i >= warmup) {
                            follow.add(System.nanoTime() - t0);
                        }
                    }
                    long t0 = System.nanoTime();
                    input.fill(before);
                    if (i >= warmup) {
                        copy.add(System.nanoTime() - t0);
                    }
                }
            }
        }
        out.put("faces", faces.size());
        out.set("optical_flow_ms_per_face", follow.toJson());
        out.set("detector_input_copy_ms", copy.toJson());
    }

    private void benchRecognizer(Path model, OrtConfig config, Mat frame, List<Face> faces, ObjectNode out) {
        Timings align = new Timings();
        Timings embed = new Timings();
        Timings perFace = new Timings();
        try (ModelLoader load = ModelLoader.failFast(config)) {
            ArcFaceRecognizer rec = load.recognizer(model);
            for (int i = 0; i < warmup; i++) {
                rec.recognise(frame, faces.get(0));
            }
            for (int i = 0; i < iterations; i++) {
                for (Face face : faces) {
                    rec.recognise(frame, face);
                    RecognitionTimings t = rec.lastTimings();
                    align.add(t.alignNanos());
                    embed.add(t.embedNanos());
                    perFace.add(t.alignNanos() + t.embedNanos());
                }
            }
            out.put("model", String.valueOf(model.getFileName()));
            out.put("provider", OrtSessions.displayName(rec.model().provider()));
            out.put("faces", faces.size());
        }
        out.set("align_ms_per_face", align.toJson());
        out.set("embed_ms_per_face", embed.toJson());
        out.set("total_ms_per_face", perFace.toJson());
    }

    private static List<Path> sharedDetectors() {
        List<Path> found = new ArrayList<>();
        for (String name : SHARED_DETECTORS) {
            Path p = BenchInputs.sharedOrNull("models", name);
            if (p != null) {
                found.add(p);
            }
        }
        if (found.isEmpty()) {
            throw new UserFacingException("no detector to time: pass --detector FILE (or set DLF_SHARED_DIR to the "
                    + "folder with the shared test models)", 2, null);
        }
        return found;
    }
}
