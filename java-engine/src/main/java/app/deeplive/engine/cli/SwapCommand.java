package app.deeplive.engine.cli;

import app.deeplive.engine.SettingRange;
import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.analysis.recognize.ArcFaceRecognizer;
import app.deeplive.engine.blend.BlendOptions;
import app.deeplive.engine.blend.FaceOccluder;
import app.deeplive.engine.blend.MouthLandmarks;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.enhance.FaceEnhancer;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.pipeline.FaceMapping;
import app.deeplive.engine.pipeline.FaceSwapPipeline;
import app.deeplive.engine.pipeline.MediaSwap;
import app.deeplive.engine.pipeline.ModelLoader;
import app.deeplive.engine.pipeline.SourceFaces;
import app.deeplive.engine.pipeline.SwapModels;
import app.deeplive.engine.pipeline.SwapSettings;
import app.deeplive.engine.swap.Identity;
import app.deeplive.engine.swap.FaceSwapper;
import app.deeplive.engine.swap.PixelBoost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code swap}: swaps faces in an image or a video file with the same pipeline the live filter runs. */
@Command(
        name = "swap",
        mixinStandardHelpOptions = true,
        defaultValueProvider = SwapDefaults.class,
        description = {
                "Swap faces in an image or a video. Several --source photos of one person are averaged into one identity.",
                "Videos keep their frame rate, size and audio (MPEG-4 video in .mp4/.mkv/.avi, VP9 in .webm)."})
final class SwapCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--source", split = ",", paramLabel = "IMAGE",
            description = "Photo(s) of the person to swap in (required unless --map is given).")
    List<Path> sources = new ArrayList<>();

    @Option(names = "--target", required = true, paramLabel = "IMAGE|VIDEO", description = "Image or video to swap faces in.")
    Path target;

    @Option(names = "--output", required = true, paramLabel = "PATH", description = "Where to write the result.")
    Path output;

    @Option(names = "--many-faces", description = "Swap every face, not only the largest.")
    boolean manyFaces;

    @Option(names = "--map", paramLabel = "REF=SOURCE",
            description = "Swap only the person in photo REF, into the person in photo SOURCE (SOURCE may list several "
                    + "photos separated by '+'). Repeat for more people; other faces are left alone.")
    List<String> maps = new ArrayList<>();

    @Option(names = "--enhancer", paramLabel = "gfpgan|gpen256|gpen512", description = "Enhance swapped faces.")
    String enhancer;

    @Option(names = "--mouth-mask", paramLabel = "0..100",
            description = "Keep the original mouth (0 = off; larger keeps more around it). Needs 2d106det "
                    + "(default ${DEFAULT-VALUE}).")
    int mouthMask;

    @Option(names = "--opacity", paramLabel = "0..1", description = "Strength of the swap (default ${DEFAULT-VALUE}).")
    double opacity;

    @Option(names = "--sharpness", paramLabel = "0..10",
            description = "Sharpen the swapped face (0 = off; default ${DEFAULT-VALUE}).")
    double sharpness;

    @Option(names = "--pixel-boost", paramLabel = "128|256|512",
            description = "Draw each face at this size: the swapper runs on the 4 (256) or 16 (512) interleaved "
                    + "tiles of a larger crop. Sharper large faces at 4x or 16x the swap's cost (default 128: off).")
    int pixelBoost;

    @Option(names = "--occlusion-mask",
            description = "Keep hands and objects in front of the face where the occlusion model (--occluder) sees them.")
    boolean occlusionMask;

    @Option(names = "--occluder", paramLabel = "FILE",
            description = "XSeg occlusion model for --occlusion-mask (FaceFusion's xseg_1, xseg_2 or xseg_3 .onnx; "
                    + "default: the manifest's xseg_2).")
    Path occluderFile;

    @Option(names = "--color-correction", description = "Match the swapped face's colours to the original face's light.")
    boolean colorCorrection;

    @Option(names = "--detector", paramLabel = "FILE", description = "SCRFD detector (default: the manifest's det_10g).")
    Path detectorFile;

    @Option(names = "--recognizer", paramLabel = "FILE", description = "ArcFace recogniser (default: w600k_r50).")
    Path recognizerFile;

    @Option(names = "--swapper", paramLabel = "FILE", description = "face swapper: inswapper_128 (fp32 or fp16) or a "
            + "HyperSwap 256 model, told apart by its input (default: inswapper_128).")
    Path swapperFile;

    @Option(names = "--enhancer-model", paramLabel = "[KIND=]FILE",
            description = "Enhancer model file: KIND=FILE (KIND gfpgan, gpen256 or gpen512; implies --enhancer KIND) "
                    + "or FILE for --enhancer.")
    String enhancerModel;

    @Option(names = "--landmarks", paramLabel = "FILE",
            description = "106-point landmark model for --mouth-mask (default: the manifest's 2d106det).")
    Path landmarksFile;

    @Override
    public Integer call() {
        SwapSettings settings = validatedSettings(null, List.of());
        List<MapSpec> mapSpecs = parseMaps();
        requireReadable(target, "--target");
        sources.forEach(s -> requireReadable(s, "--source"));
        mapSpecs.forEach(m -> {
            requireReadable(m.reference(), "--map reference");
            m.sources().forEach(s -> requireReadable(s, "--map source"));
        });
        EnhancerKind kind = enhancerKind();
        try (ModelLoader load = ModelLoader.failFast(OrtConfig.defaults())) {
            ScrfdDetector detector = load.detector(detectorFile, DetectorSettings.defaults());
            ArcFaceRecognizer recognizer = load.recognizer(recognizerFile);
            // The sources first: a photo without a face is reported before any model loads or any frame is touched.
            Identity source = sources.isEmpty() ? null : SourceFaces.identityOf(sources, detector, recognizer);
            List<FaceMapping> mappings = new ArrayList<>();
            for (MapSpec m : mapSpecs) {
                mappings.add(new FaceMapping(SourceFaces.identityOf(List.of(m.reference()), detector, recognizer),
                        SourceFaces.identityOf(m.sources(), detector, recognizer)));
            }
            FaceSwapper swapper = load.swapper(swapperFile);
            if (source != null) {
                swapper.latent(source.embedding()); // a recogniser of the wrong size fails here, clearly
            }
            for (FaceMapping m : mappings) {
                swapper.latent(m.source().embedding());
            }
            MouthLandmarks landmarks = mouthMask > 0 ? load.landmarks(landmarksFile) : null;
            FaceOccluder occluder = occlusionMask ? load.occluder(occluderFile) : null;
            Map<EnhancerKind, FaceEnhancer> enhancers = kind == null ? Map.of()
                    : Map.of(kind, load.enhancer(kind, enhancerModel == null ? null : EnhancerModelArg.parse(enhancerModel).file()));
            SwapSettings run = validatedSettings(source, mappings);
            // Without mappings the recogniser's work is done: the loader closes it.
            try (SwapModels models = load.swapModels(detector, swapper, mappings.isEmpty() ? null : recognizer, landmarks,
                    enhancers, occluder);
                 FaceSwapPipeline pipeline = new FaceSwapPipeline(models)) {
                MediaSwap.Result result = MediaSwap.isImage(target)
                        ? MediaSwap.image(target, output, pipeline, run)
                        : MediaSwap.video(target, output, pipeline, run, true);
                spec.commandLine().getOut().println("wrote " + output + ": " + result.frames() + " frame(s), "
                        + result.framesWithSwaps() + " with swapped faces");
            }
        }
        return 0;
    }

    private SwapSettings validatedSettings(Identity source, List<FaceMapping> mappings) {
        if (sources.isEmpty() && maps.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give --source IMAGE (or --map REF=SOURCE)");
        }
        if (landmarksFile != null && mouthMask == 0) {
            throw new ParameterException(spec.commandLine(), "--landmarks is for the mouth mask: add --mouth-mask 1..100");
        }
        if (occluderFile != null && !occlusionMask) {
            throw new ParameterException(spec.commandLine(), "--occluder is for the occlusion mask: add --occlusion-mask");
        }
        new OptionChecks(spec)
                .check(BlendOptions.OPACITY.contains(opacity), "--opacity", opacity, between(BlendOptions.OPACITY))
                .check(BlendOptions.SHARPNESS.contains(sharpness), "--sharpness", sharpness,
                        between(BlendOptions.SHARPNESS))
                .check(BlendOptions.MOUTH_MASK.contains(mouthMask), "--mouth-mask", mouthMask,
                        between(BlendOptions.MOUTH_MASK))
                .check(PixelBoost.SIZES.contains(pixelBoost), "--pixel-boost", pixelBoost, "must be 128, 256 or 512")
                .done();
        BlendOptions blend;
        try {
            blend = new BlendOptions(opacity, sharpness, colorCorrection, mouthMask, occlusionMask);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return SwapSettings.of(source).withManyFaces(manyFaces).withMappings(mappings).withEnhancer(enhancerKind())
                .withBlend(blend).withPixelBoost(pixelBoost);
    }

    private static String between(SettingRange range) {
        return "must be between " + (long) range.min() + " and " + (long) range.max();
    }

    /** --enhancer's kind, else the KIND of --enhancer-model KIND=FILE, else null; the two must agree. */
    private EnhancerKind enhancerKind() {
        EnhancerKind named;
        try {
            named = enhancer == null ? null : EnhancerKind.parse(enhancer);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--enhancer " + enhancer + ": use gfpgan, gpen256 or gpen512");
        }
        EnhancerKind ofFile = enhancerModel == null ? null : EnhancerModelArg.parse(enhancerModel).kind();
        if (enhancerModel != null && named == null && ofFile == null) {
            throw new ParameterException(spec.commandLine(), "--enhancer-model needs a kind: --enhancer-model "
                    + "gfpgan|gpen256|gpen512=FILE, or --enhancer gfpgan|gpen256|gpen512");
        }
        if (named != null && ofFile != null && named != ofFile) {
            throw new ParameterException(spec.commandLine(), "--enhancer " + named.cliName() + " but --enhancer-model "
                    + ofFile.cliName() + "=FILE: give one kind");
        }
        return named != null ? named : ofFile;
    }

    private record MapSpec(Path reference, List<Path> sources) {}

    private List<MapSpec> parseMaps() {
        List<MapSpec> out = new ArrayList<>();
        for (String m : maps) {
            int eq = m.indexOf('=');
            if (eq <= 0 || eq == m.length() - 1) {
                throw new ParameterException(spec.commandLine(), "--map expects REF=SOURCE (two image paths), got '" + m + "'");
            }
            List<Path> srcs = new ArrayList<>();
            for (String s : m.substring(eq + 1).split("\\+")) {
                srcs.add(Path.of(s));
            }
            out.add(new MapSpec(Path.of(m.substring(0, eq)), srcs));
        }
        return out;
    }

    /** From the file's metadata only: a pipe is refused without being opened, which would wait for a writer. */
    private static void requireReadable(Path file, String what) {
        if (!Files.exists(file)) {
            throw new UserFacingException(what + " " + file + " not found: check the path");
        }
        if (Files.isDirectory(file)) {
            throw new UserFacingException(what + " " + file + " is a directory: give an image file");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserFacingException(what + " " + file
                    + " is not a regular file (a pipe, device or socket): save it to a file first");
        }
        if (!Files.isReadable(file)) {
            throw new UserFacingException(what + " " + file + " is not readable: check its permissions");
        }
    }
}
