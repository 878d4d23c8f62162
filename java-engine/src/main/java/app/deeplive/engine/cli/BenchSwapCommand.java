package app.deeplive.engine.cli;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2BGRA;

import app.deeplive.engine.analysis.align.SimilarityTransform;
import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.blend.BlendOptions;
import app.deeplive.engine.blend.FacePaste;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.onnx.OrtSessions;
import app.deeplive.engine.pipeline.FaceSwapPipeline;
import app.deeplive.engine.pipeline.StageTimings;
import app.deeplive.engine.pipeline.ModelLoader;
import app.deeplive.engine.pipeline.SwapModels;
import app.deeplive.engine.pipeline.SwapSettings;
import app.deeplive.engine.swap.Identity;
import app.deeplive.engine.swap.FaceSwapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench swap}: the per-frame pipeline's stage times on a 1920×1080 BGRA frame (the live path's format) with
 * one face and with six, and the compositing cost of one 1000×1000 px face.
 */
@Command(
        name = "swap",
        mixinStandardHelpOptions = true,
        description = "Time the swap pipeline's stages per 1080p frame (one face, six faces) and the paste-back of a "
                + "1000 px face; prints one JSON object.")
final class BenchSwapCommand implements Callable<Integer> {
    @Option(names = "--detector", paramLabel = "FILE",
            description = "SCRFD detector (default: shared scrfd_2.5g_bnkps.onnx, else the manifest's det_10g).")
    Path detector;

    @Option(names = "--swapper", paramLabel = "FILE",
            description = "face swapper, inswapper_128 or HyperSwap 256 (default: the manifest's).")
    Path swapper;

    @Option(names = "--enhancer-model", paramLabel = "FILE", description = "Enhancer to include (default: none).")
    Path enhancer;

    @Option(names = "--landmarks", paramLabel = "FILE", description = "2d106det model: include the mouth mask (default: none).")
    Path landmarks;

    @Option(names = "--one-face", paramLabel = "FILE", description = "Photo with one face (default: shared obama.jpg).")
    Path oneFace;

    @Option(names = "--group", paramLabel = "FILE", description = "Photo with six faces (default: shared t1.jpg).")
    Path group;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "20", description = "Timed frames (default: 20).")
    int iterations;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "3", description = "Untimed frames first (default: 3).")
    int warmup;

    @Mixin
    OrtThreadsOption threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        BenchInputs.requireRuns(iterations, warmup);
        OrtConfig config = threads.config();
        // The shared SCRFD 2.5g where the test data is, else the manifest's det_10g.
        Path det = detector != null ? detector : BenchInputs.sharedOrNull("models", "scrfd_2.5g_bnkps.onnx");
        ObjectNode report = FaceJson.MAPPER.createObjectNode();
        report.put("benchmark", "swap");
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("iterations", iterations);
        try (ModelLoader load = ModelLoader.failFast(config);
             SwapModels models = load.swapModels(load.detector(det, DetectorSettings.defaults()), load.swapper(swapper),
                     null, landmarks == null ? null : load.landmarks(landmarks), enhancer == null ? Map.of()
                             : Map.of(EnhancerKind.GFPGAN, load.enhancer(EnhancerKind.GFPGAN, enhancer)))) {
            ObjectNode m = report.putObject("models");
            m.put("detector", fileName(load, ModelLoader.DETECTOR))
                    .put("swapper", fileName(load, ModelLoader.SWAPPER))
                    .put("swapper_type", String.valueOf(models.swapper().targetType()))
                    .put("provider", OrtSessions.displayName(models.swapper().model().provider()))
                    .put("enhancer", enhancer == null ? null : String.valueOf(enhancer.getFileName()))
                    .put("landmarks", landmarks == null ? null : String.valueOf(landmarks.getFileName()));
            SwapSettings settings = SwapSettings.of(new Identity(syntheticEmbedding())).withManyFaces(true)
                    .withBlend(BlendOptions.DEFAULT.withMouthMask(landmarks == null ? 0 : 20))
                    .withEnhancer(enhancer == null ? null : EnhancerKind.GFPGAN, 1.0);
            Path one = oneFace != null ? oneFace : BenchInputs.shared("photos", "obama.jpg");
            Path six = group != null ? group : BenchInputs.shared("photos", "t1.jpg");
            scenario(models, settings, one, report.putObject("one_face"));
            scenario(models, settings, six, report.putObject("six_faces"));
        }
        composite(report.putObject("composite_1000px_face"));
        spec.commandLine().getOut().println(report.toPrettyString());
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static String fileName(ModelLoader load, String role) {
        return String.valueOf(Path.of(load.outcome(role).path()).getFileName());
    }

    private void scenario(SwapModels models, SwapSettings settings, Path photo, ObjectNode out) {
        Timings detect = new Timings(), swap = new Timings(), landmarks = new Timings(), blend = new Timings(),
                enhance = new Timings(), total = new Timings();
        int faces = 0;
        long allocated = 0;
        try (Mat pristine = BenchInputs.hdFrame(photo); Mat frame = pristine.clone(); FrameView view = FrameView.of(frame);
                FaceSwapPipeline pipeline = new FaceSwapPipeline(models)) {
            for (int i = 0; i < warmup + iterations; i++) {
                pristine.copyTo(frame); // each frame starts unswapped; not timed
                long bytes0 = AllocationCounter.threadBytes();
                long t0 = System.nanoTime();
                StageTimings t = pipeline.process(view, settings, i * 33_333_333L);
                long wall = System.nanoTime() - t0;
                if (i >= warmup) {
                    allocated += AllocationCounter.threadBytes() - bytes0;
                    detect.add(t.detectNanos());
                    swap.add(t.swapNanos());
                    landmarks.add(t.landmarkNanos());
                    blend.add(t.blendNanos());
                    enhance.add(t.enhanceNanos());
                    total.add(wall);
                    faces = t.swapped();
                }
            }
            out.put("photo", photo.toString());
            out.put("frame", frame.cols() + "x" + frame.rows() + " BGRA");
        }
        out.put("faces_swapped", faces);
        out.set("detect_ms", detect.toJson());
        out.set("swap_ms", swap.toJson());
        out.set("mouth_landmarks_ms", landmarks.toJson());
        out.set("paste_back_ms", blend.toJson());
        out.set("enhance_ms", enhance.toJson());
        out.set("total_ms", total.toJson());
        out.put("paste_back_ms_per_face", Timings.round(blend.meanMs() / Math.max(1, faces)));
        out.put("java_heap_bytes_per_frame", allocated / iterations);
    }

    /** FacePaste of a 128² result scaled to a 1000×1000 px face in a 1080p BGRA frame (Deep-Live-Cam: ≈1.2 ms). */
    private void composite(ObjectNode out) {
        double scale = 1000.0 / 128;
        SimilarityTransform cropToFrame = SimilarityTransform.of(scale, 0, 460, 40);
        SimilarityTransform frameToCrop = cropToFrame.inverse();
        Timings plain = new Timings();
        Timings sharpened = new Timings();
        Timings baseline = new Timings();
        long allocated = 0;
        try (Mat frame = new Mat(1080, 1920, CV_8UC4, new Scalar(60, 90, 120, 255));
                Mat face = new Mat(128, 128, opencv_core.CV_8UC3, new Scalar(30, 160, 200, 0));
                FacePaste paste = new FacePaste()) {
            for (int i = 0; i < warmup + iterations; i++) {
                long bytes0 = AllocationCounter.threadBytes();
                long t0 = System.nanoTime();
                paste.apply(frame, face, frameToCrop, BlendOptions.DEFAULT, null);
                long t1 = System.nanoTime();
                if (i >= warmup) {
                    allocated += AllocationCounter.threadBytes() - bytes0;
                }
                paste.apply(frame, face, frameToCrop, BlendOptions.DEFAULT.withSharpness(0.5), null);
                long t2 = System.nanoTime();
                try (Mat warped = new Mat(); Mat m = cropToFrame.toMat(); Mat face4 = new Mat()) {
                    // Calibration on this machine: the bare warp of the face into a 1000² BGRA image, nothing else.
                    org.bytedeco.opencv.global.opencv_imgproc.cvtColor(face, face4, COLOR_BGR2BGRA);
                    long t3 = System.nanoTime();
                    org.bytedeco.opencv.global.opencv_imgproc.warpAffine(face4, warped, m, new Size(1000, 1000));
                    if (i >= warmup) {
                        baseline.add(System.nanoTime() - t3);
                    }
                }
                if (i >= warmup) {
                    plain.add(t1 - t0);
                    sharpened.add(t2 - t1);
                }
            }
        }
        out.put("frame", "1920x1080 BGRA");
        out.set("paste_back_ms", plain.toJson());
        out.set("paste_back_sharpened_ms", sharpened.toJson());
        out.set("bare_warp_1000px_bgra_ms", baseline.toJson());
        out.put("paste_back_java_heap_bytes", allocated / iterations);
        out.put("deep_live_cam_reference_ms", 1.2);
    }

    /** A fixed unit vector standing in for a source identity (the benchmark needs no recogniser). */
    private static float[] syntheticEmbedding() {
        float[] e = new float[FaceSwapper.LATENT];
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) Math.sin(0.3 * i + 1);
        }
        return e;
    }
}
