package app.deeplive.engine.cli;

import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.blend.BlendOptions;
import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.enhance.FaceEnhancer;
import app.deeplive.engine.live.CostMatchedModels;
import app.deeplive.engine.live.LiveFaceSwap;
import app.deeplive.engine.live.PhotoFrame;
import app.deeplive.engine.live.StageStats;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.onnx.OrtSessions;
import app.deeplive.engine.pipeline.ModelLoader;
import app.deeplive.engine.pipeline.SwapModels;
import app.deeplive.engine.pipeline.SwapSettings;
import app.deeplive.engine.swap.PixelBoost;
import app.deeplive.engine.swap.Identity;
import app.deeplive.engine.track.OpticalFlow;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench pipeline}: the staged live pipeline on a real frame channel with an in-process producer, a photo
 * with 1 or 6 faces in every frame, the real detector and cost-matched swapper/enhancer stand-ins.
 */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        defaultValueProvider = SwapDefaults.class,
        description = "Throughput and latency of the staged live pipeline through a real frame channel; prints one "
                + "JSON object (fps, latency, drops, per-stage busy fractions, ideal_fps).")
final class PipelineBenchCommand implements Callable<Integer> {

    @Option(names = "--size", defaultValue = "1920x1080", description = "Frame size WIDTHxHEIGHT (default ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--faces", defaultValue = "1",
            description = "1 (photos/obama.jpg) or 6 (photos/t1.jpg) faces in each frame (default ${DEFAULT-VALUE}).")
    int faces;

    @Option(names = "--frames", defaultValue = "60", description = "Processed frames to measure (default ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--warmup", defaultValue = "8", description = "Processed frames before measuring (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--fps", defaultValue = "0",
            description = "Input frame rate, like a camera or OBS; 0 = twice the pipeline's ideal rate seen in the "
                    + "warm-up, so the input always outpaces it (default ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--detector", paramLabel = "FILE",
            description = "SCRFD detector (default: scrfd_2.5g_bnkps.onnx in $DLF_SHARED_DIR/models or ../shared/models).")
    Path detector;

    @Option(names = "--det-size", defaultValue = "640", description = "Detector input side (default ${DEFAULT-VALUE}).")
    int detSize;

    @Option(names = "--pixel-boost", paramLabel = "128|256|512",
            description = "Swap each face at this size through 4 or 16 tiles (default ${DEFAULT-VALUE}: off).")
    int pixelBoost;

    @Option(names = "--detect-every",
            description = "Detect at least every K-th frame, following faces by optical flow between; a live "
                    + "session's default (default ${DEFAULT-VALUE}).")
    int detectEvery;

    @Option(names = "--swapper", paramLabel = "FILE",
            description = "face swapper, inswapper_128 or HyperSwap 256 (default: the cost-matched inswapper stand-in at "
                    + "--cost-scale).")
    Path swapper;

    @Option(names = "--enhancer", paramLabel = "FILE|none",
            description = "GPEN/GFPGAN-contract model, or none (default: the cost-matched GPEN-BFR-256 stand-in).")
    String enhancer;

    @Option(names = "--fixed-batch-enhancer",
            description = "Use the cost-matched enhancer stand-in with its batch fixed at 1, like most GPEN/GFPGAN "
                    + "exports (one run per face), instead of the dynamic-batch one (all faces in one run).")
    boolean fixedBatchEnhancer;

    @Option(names = "--cost-scale", defaultValue = "0.02",
            description = "Fraction of the production cost for the generated stand-ins: 1 = production "
                    + "(inswapper_128 174.7 GFLOPs/face), 0.02 = 1/50 for CPU (default ${DEFAULT-VALUE}).")
    double costScale;

    @Option(names = "--provider", defaultValue = "cpu",
            description = "cpu, or gpu (TensorRT/CUDA when this build and machine have them, else CPU) (default ${DEFAULT-VALUE}).")
    String provider;

    @Option(names = "--threads", defaultValue = "1",
            description = "ONNX Runtime intra-op threads per model (default ${DEFAULT-VALUE}: stages overlap instead).")
    int threads;

    @Option(names = "--queue", defaultValue = "1", description = "Frames waiting before each stage, 1 or 2 (default ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--occluder", paramLabel = "FILE",
            description = "XSeg occlusion model: turns the occlusion mask on (default: off).")
    Path occluder;

    @Option(names = "--mapped", paramLabel = "K", defaultValue = "0",
            description = "Face mapping on, with K of the faces mapped (the leftmost K); the others are bystanders, "
                    + "who stay unswapped (default: 0, no mapping: every face swapped).")
    int mapped;

    @Option(names = "--recognizer", paramLabel = "FILE",
            description = "Recogniser for --mapped (default: the shared folder's mobilefacenet.onnx).")
    Path recognizer;

    @Option(names = "--shared", paramLabel = "DIR",
            description = "Folder with models/ and photos/ (default: $DLF_SHARED_DIR or ../shared).")
    Path shared;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        int[] wh = parseSize(size);
        new OptionChecks(spec)
                .check(faces == 1 || faces == 6, "--faces", faces, "must be 1 or 6")
                .check(frames >= 1, "--frames", frames, "must be at least 1")
                .check(warmup >= 0, "--warmup", warmup, "must not be negative")
                .check(fps >= 0, "--fps", fps, "must not be negative")
                .check(detectEvery >= 1, "--detect-every", detectEvery, "must be at least 1")
                .check(threads >= 0, "--threads", threads, "must not be negative")
                .check(costScale > 0 && costScale <= 10, "--cost-scale", costScale, "must be in (0, 10]")
                .check(PixelBoost.SIZES.contains(pixelBoost), "--pixel-boost", pixelBoost, "must be 128, 256 or 512")
                .check(queue == 1 || queue == 2, "--queue", queue, "must be 1 or 2")
                .check(mapped >= 0 && mapped <= faces, "--mapped", mapped, "must be 0.." + faces)
                .done();
        if (fixedBatchEnhancer && enhancer != null) {
            throw new UserFacingException("--fixed-batch-enhancer picks the generated stand-in; leave out --enhancer");
        }
        OrtConfig ort = switch (provider) {
            case "cpu" -> OrtConfig.cpu();
            case "gpu" -> OrtConfig.defaults();
            default -> throw new UserFacingException("--provider must be cpu or gpu; got " + provider);
        };
        ort = ort.withIntraOpThreads(threads);
        Path sharedDir = shared != null ? shared : Path.of(System.getenv().getOrDefault("DLF_SHARED_DIR", "../shared"));
        Path detectorFile = detector != null ? detector : sharedDir.resolve("models/scrfd_2.5g_bnkps.onnx");
        Path photo = sharedDir.resolve(faces == 1 ? "photos/obama.jpg" : "photos/t1.jpg");
        if (!Files.isRegularFile(photo)) {
            throw new UserFacingException("test photo " + photo + " not found: pass --shared DIR (the folder with photos/)");
        }
        Path generated = null;
        if (swapper == null || enhancer == null) {
            generated = CostMatchedModels.generate(CostMatchedModels.projectDir(), costScale);
        }
        Path swapperFile = swapper != null ? swapper : generated.resolve(CostMatchedModels.SWAPPER);
        Path enhancerFile = enhancer == null ? generated.resolve(fixedBatchEnhancer
                ? CostMatchedModels.ENHANCER_FIXED_BATCH : CostMatchedModels.ENHANCER)
                : "none".equals(enhancer) ? null : Path.of(enhancer);

        Path recognizerFile = mapped == 0 ? null
                : recognizer != null ? recognizer : sharedDir.resolve("models/mobilefacenet.onnx");
        ByteBuffer image = PhotoFrame.render(photo, wh[0], wh[1]);
        // Every face becomes one fixed identity: the bench measures cost, not likeness.
        Identity swappedTo = new Identity(unitLatent());
        SwapSettings base = SwapSettings.of(swappedTo).withManyFaces(true)
                .withEnhancer(enhancerFile == null ? null : EnhancerKind.GPEN256, 1.0).withDetectEveryK(detectEvery)
                .withPixelBoost(pixelBoost)
                .withBlend(BlendOptions.DEFAULT.withOcclusionMask(occluder != null));
        PipelineBenchRun.Figures f;
        String providerName;
        boolean batched;
        boolean enhancerBatched;
        try (ModelLoader load = ModelLoader.failFast(ort);
             SwapModels models = load.swapModels(
                     load.detector(detectorFile, DetectorSettings.defaults().withInputSize(detSize)),
                     load.swapper(swapperFile), recognizerFile == null ? null : load.recognizer(recognizerFile),
                     null, enhancerFile == null ? Map.of()
                             : Map.of(EnhancerKind.GPEN256, load.enhancer(EnhancerKind.GPEN256, enhancerFile)),
                     occluder == null ? null : load.occluder(occluder))) {
            providerName = OrtSessions.displayName(models.swapper().model().provider());
            batched = models.swapper().batched();
            FaceEnhancer loadedEnhancer = models.enhancer(EnhancerKind.GPEN256);
            enhancerBatched = loadedEnhancer != null && loadedEnhancer.batched();
            SwapSettings settings = mapped == 0 ? base
                    : base.withMappings(BenchMappings.leftmost(mapped, image, wh[0], wh[1], models, swappedTo));
            f = new PipelineBenchRun(wh[0], wh[1], image, fps).run(intake -> new LiveFaceSwap("bench", intake,
                    models, () -> settings, queue), warmup, frames);
        }

        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode().put("bench", "pipeline").put("width", wh[0]).put("height", wh[1])
                .put("faces", faces).put("frames", f.processed());
        double measuredFps = f.processed() * 1e9 / f.wallNanos();
        double ideal = f.pipeline().idealFps();
        double sum = f.pipeline().sumOfStageMillis();
        out.put("fps", Timings.round(measuredFps)).put("ideal_fps", Timings.round(ideal))
                .put("fps_over_ideal", Timings.round(ideal > 0 ? measuredFps / ideal : 0))
                .put("latency_p50_ms", Timings.round(f.p50Millis())).put("latency_p99_ms", Timings.round(f.p99Millis()))
                .put("sum_of_stage_ms", Timings.round(sum))
                .put("p99_over_sum", Timings.round(sum > 0 ? f.p99Millis() / sum : 0))
                .put("meets_fps_aim", measuredFps >= 0.8 * ideal).put("meets_latency_aim", f.p99Millis() <= 2 * sum)
                .put("dropped", f.droppedAtEntry() + f.droppedByChannel())
                .put("dropped_at_entry", f.droppedAtEntry()).put("dropped_by_channel", f.droppedByChannel())
                .put("input_fps", Timings.round(f.inputFps()))
                // Where the input frames went: an output rate below the input's with nothing dropped shows here.
                .put("submitted", f.submitted()).put("not_sent_no_slot", f.noSlot())
                .put("returned_not_processed", f.returnedNotProcessed()).put("failed", f.pipeline().failed());
        ObjectNode busy = out.putObject("busy");
        ObjectNode stageMs = out.putObject("stage_ms");
        ObjectNode stageP99 = out.putObject("stage_p99_ms");
        for (StageStats.Snapshot s : f.pipeline().stages()) {
            busy.put(s.name(), Timings.round(s.busyFraction(f.pipeline().wallNanos())));
            stageMs.put(s.name(), Timings.round(s.meanMillis()));
            stageP99.put(s.name(), Timings.round(s.p99Millis()));
        }
        // The detector runs beside the stages (not once per frame), so it is not one of them and not in ideal_fps.
        out.putObject("detector").put("runs", f.detectorRuns())
                .put("ms", Timings.round(f.detectorRuns() > 0 ? f.detectorBusyNanos() / 1e6 / f.detectorRuns() : 0))
                .put("busy", Timings.round((double) f.detectorBusyNanos() / f.wallNanos()));
        out.put("frames_in_flight_limit", f.admissionLimit());
        out.put("pixel_boost", pixelBoost);
        out.put("mapped", mapped).put("recognitions_per_frame",
                Timings.round((double) f.recognitions() / Math.max(1, f.processed())));
        out.put("occlusion_mask", occluder == null ? null : String.valueOf(occluder.getFileName()));
        out.put("detections", f.detections()).put("tracked_frames", f.trackedFrames()).put("detect_every", detectEvery)
                .put("optical_flow", OpticalFlow.available());
        out.put("swapper_batched", batched).put("faces_swapped_per_frame",
                Timings.round((double) f.facesSwapped() / Math.max(1, f.framesSwapped())));
        out.put("enhancer_batched", enhancerBatched);
        ObjectNode alloc = out.putObject("allocated_bytes_per_frame");
        for (Map.Entry<String, Long> e : f.allocatedBytes().entrySet()) {
            alloc.put(e.getKey(), e.getValue());
        }
        ObjectNode models = out.putObject("models");
        models.put("provider", providerName).put("intra_op_threads", threads)
                .put("detector", String.valueOf(detectorFile.getFileName())).put("det_size", detSize)
                .put("swapper", String.valueOf(swapperFile.getFileName()))
                .put("recognizer", recognizerFile == null ? "none" : String.valueOf(recognizerFile.getFileName()))
                .put("enhancer", enhancerFile == null ? "none" : String.valueOf(enhancerFile.getFileName()));
        if (generated != null) {
            JsonNode cost = json.readTree(generated.resolve(CostMatchedModels.REPORT).toFile());
            models.set("cost_matched", cost);
        }
        out.put("cpu_cores", Runtime.getRuntime().availableProcessors());
        spec.commandLine().getOut().println(json.writeValueAsString(out));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** A fixed unit-length embedding: the bench measures cost, not identity. */
    private static float[] unitLatent() {
        float[] l = new float[512];
        double norm = 0;
        for (int i = 0; i < l.length; i++) {
            l[i] = (float) Math.sin(0.1 * i + 1);
            norm += l[i] * l[i];
        }
        for (int i = 0; i < l.length; i++) {
            l[i] /= (float) Math.sqrt(norm);
        }
        return l;
    }


    private static int[] parseSize(String size) {
        int[] wh = SizeArgument.parse(size);
        if (wh[0] < 64 || wh[1] < 64 || wh[0] > 8192 || wh[1] > 8192) {
            throw new UserFacingException("--size must look like 1920x1080, 64 to 8192 a side; got " + size);
        }
        return wh;
    }
}
