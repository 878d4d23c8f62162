package app.deeplive.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.image.ImageLoader;
import app.deeplive.engine.testing.SharedData;
import app.deeplive.engine.testing.SyntheticModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The swap command end to end: the shared SCRFD detector, the synthetic 512-d recogniser (the shared one is 128-d,
 * inswapper needs 512) and the synthetic swapper/enhancer.
 */
class SwapCommandTest {
    @TempDir
    Path tmp;


    CliRun swap(String... extra) {
        return swapWith(SyntheticModels.inswapper(), extra);
    }

    CliRun swapWith(Path swapper, String... extra) {
        List<String> args = new ArrayList<>(List.of("swap",
                "--detector", SharedData.model("scrfd_2.5g_bnkps.onnx").toString(),
                "--recognizer", SyntheticModels.recognizer512().toString(),
                "--swapper", swapper.toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args);
    }

    @Test
    void swapsAnImage() {
        Path output = tmp.resolve("out.png");
        CliRun r = swap("--source", SharedData.photo("biden.jpg") + "," + SharedData.photo("biden2.jpg"),
                "--target", SharedData.photo("obama.jpg").toString(), "--output", output.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("1 with swapped faces"), r.out());
        try (Mat in = ImageLoader.load(SharedData.photo("obama.jpg")); Mat out = ImageLoader.load(output);
                Mat diff = new Mat(); Mat grey = new Mat()) {
            assertEquals(in.size().area(), out.size().area());
            opencv_core.absdiff(in, out, diff);
            opencv_imgproc.cvtColor(diff, grey, opencv_imgproc.COLOR_BGR2GRAY);
            assertTrue(opencv_core.countNonZero(grey) > 2000, "the face changed");
        }
    }

    @Test
    void aHyperSwapModelOfOnesOwnSwapsAnImageAndOneNamedAsARefusedModelIsRefused() throws Exception {
        Path own = Files.copy(SyntheticModels.hyperswap(), tmp.resolve("my_hyperswap_256.onnx"));
        Path output = tmp.resolve("out.png");
        CliRun r = swapWith(own, "--source", SharedData.photo("biden.jpg").toString(),
                "--target", SharedData.photo("obama.jpg").toString(), "--output", output.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("1 with swapped faces"), r.out());

        Path refused = Files.copy(own, tmp.resolve("hyperswap_1a_256.onnx"));
        Path notWritten = tmp.resolve("refused.png");
        CliRun no = swapWith(refused, "--source", SharedData.photo("biden.jpg").toString(),
                "--target", SharedData.photo("obama.jpg").toString(), "--output", notWritten.toString());
        assertEquals(1, no.exitCode());
        assertEquals(1, no.err().strip().lines().count(), "one line: " + no.err());
        assertTrue(no.err().startsWith("error: model file " + refused + " is hyperswap_1a_256 by its name, which is refused: "
                + "its licence (ResearchRAIL-MS"), no.err());
        assertFalse(Files.exists(notWritten));
    }

    @Test
    void aSourceWithoutAFaceIsAClearErrorBeforeAnyWork() throws Exception {
        Path blank = tmp.resolve("blank.png");
        try (Mat m = new Mat(200, 200, opencv_core.CV_8UC3, new Scalar(200, 200, 200, 0))) {
            opencv_imgcodecs.imwrite(blank.toString(), m);
        }
        Path output = tmp.resolve("out.png");
        CliRun r = swap("--source", blank.toString(), "--target", SharedData.photo("obama.jpg").toString(),
                "--output", output.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("error: no face found in " + blank), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(Files.exists(output));
    }

    @Test
    void aTargetThatIsNeitherImageNorVideoIsAClearError() throws Exception {
        Path notes = tmp.resolve("notes.txt");
        Files.writeString(notes, "not a video");
        Path output = tmp.resolve("out.mp4");
        CliRun r = swap("--source", SharedData.photo("biden.jpg").toString(), "--target", notes.toString(),
                "--output", output.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("error: cannot read " + notes + " as an image or a video"), r.err());
        assertFalse(Files.exists(output));
        try (var leftovers = Files.list(tmp)) {
            assertEquals(1, leftovers.count(), "no partial output left behind");
        }
    }

    @Test
    void aRecogniserTooSmallForTheSwapperIsAClearErrorBeforeAnyFrame() {
        Path output = tmp.resolve("out.png");
        List<String> args = List.of("swap", "--detector", SharedData.model("scrfd_2.5g_bnkps.onnx").toString(),
                "--recognizer", SharedData.model("mobilefacenet.onnx").toString(), // 128-d
                "--swapper", SyntheticModels.inswapper().toString(),
                "--map", SharedData.photo("obama.jpg") + "=" + SharedData.photo("biden.jpg") + "+" + SharedData.photo("biden2.jpg"),
                "--target", SharedData.photo("obama2.jpg").toString(), "--output", output.toString());
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertEquals(1, cli.execute(args.toArray(String[]::new)));
        assertTrue(err.toString().contains("needs a 512-d identity embedding"), err.toString());
        assertFalse(Files.exists(output));
    }

    @Test
    void outOfRangeOptionsAreRejected() {
        CliRun r = swap("--source", SharedData.photo("biden.jpg").toString(), "--target",
                SharedData.photo("obama.jpg").toString(), "--output", tmp.resolve("o.png").toString(), "--opacity", "2");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("error: --opacity 2.0: must be between 0 and 1 (see `"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no usage text: " + r.err());
        CliRun e = swap("--source", SharedData.photo("biden.jpg").toString(), "--target",
                SharedData.photo("obama.jpg").toString(), "--output", tmp.resolve("o.png").toString(), "--enhancer", "foo");
        assertEquals(2, e.exitCode());
        assertTrue(e.err().startsWith("error: --enhancer foo: use gfpgan, gpen256 or gpen512 (see `"), e.err());
    }

    @Test
    void anEnhancerModelThatIsNotAnEnhancerIsOneLineNamingTheFileAndTheShapeExpected() {
        Path notAnEnhancer = SyntheticModels.recognizer512(); // image in, but a 512-d vector out
        Path output = tmp.resolve("out.jpg");
        CliRun r = swap("--source", SharedData.photo("biden.jpg").toString(), "--target",
                SharedData.photo("obama.jpg").toString(), "--output", output.toString(),
                "--enhancer", "gfpgan", "--enhancer-model", notAnEnhancer.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: model " + notAnEnhancer + " is not a GFPGAN/GPEN face enhancer (output "),
                r.err());
        assertTrue(r.err().contains("expected [1, 3, 112, 112] float like its input"), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("Invalid rank"), r.err());
        assertFalse(Files.exists(output));
    }

    @Test
    void enhancesWithTheGivenEnhancerModel() {
        Path output = tmp.resolve("out.jpg");
        CliRun r = swap("--source", SharedData.photo("biden.jpg").toString(), "--target",
                SharedData.photo("obama.jpg").toString(), "--output", output.toString(),
                "--enhancer", "gpen256", "--enhancer-model", SyntheticModels.gpen256().toString(),
                "--sharpness", "0.5", "--color-correction", "--opacity", "0.8");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.exists(output));
        assertTrue(r.out().contains("1 with swapped faces"), r.out());
    }

    @Test
    void anEnhancerModelGivenAsKindEqualsFileChoosesThatEnhancer() {
        Path output = tmp.resolve("out.jpg");
        CliRun r = swap("--source", SharedData.photo("biden.jpg").toString(), "--target",
                SharedData.photo("obama.jpg").toString(), "--output", output.toString(),
                "--enhancer-model", "gpen256=" + SyntheticModels.gpen256());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("1 with swapped faces"), r.out());
    }

    @Test
    void theMouthMaskUsesTheLandmarkModelGivenWithLandmarks() {
        Path output = tmp.resolve("out.jpg");
        CliRun r = swap("--source", SharedData.photo("biden.jpg").toString(), "--target",
                SharedData.photo("obama.jpg").toString(), "--output", output.toString(),
                "--mouth-mask", "40", "--landmarks", SyntheticModels.landmarks106().toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("1 with swapped faces"), r.out());
    }

    @Test
    void theOcclusionMaskUsesTheOccluderGiven() {
        Path output = tmp.resolve("out.jpg");
        CliRun r = swap("--source", SharedData.photo("biden.jpg").toString(), "--target",
                SharedData.photo("obama.jpg").toString(), "--output", output.toString(),
                "--occlusion-mask", "--occluder", SyntheticModels.occluder().toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("1 with swapped faces"), r.out());
    }

    @Test
    void modelOptionsThatCannotBeHonouredAreUsageErrors() {
        String[] io = {"--source", SharedData.photo("biden.jpg").toString(), "--target",
                SharedData.photo("obama.jpg").toString(), "--output", tmp.resolve("o.png").toString()};
        CliRun noMask = swap(concat(io, "--landmarks", SyntheticModels.landmarks106().toString()));
        assertEquals(2, noMask.exitCode());
        assertTrue(noMask.err().contains("--landmarks is for the mouth mask: add --mouth-mask 1..100"), noMask.err());
        // Without --occluder the manifest's xseg_2 is used: absent from this machine's model directory, the one-line
        // error says how to get it or give another.
        if (!java.nio.file.Files.exists(app.deeplive.engine.models.ModelFiles.standard().directory().fileOf("xseg_2.onnx"))) {
            CliRun noOccluder = swap(concat(io, "--occlusion-mask"));
            assertEquals(1, noOccluder.exitCode());
            assertEquals(1, noOccluder.err().strip().lines().count(), noOccluder.err());
            assertTrue(noOccluder.err().contains("models fetch xseg_2") && noOccluder.err().contains("--occluder FILE"),
                    noOccluder.err());
        }
        CliRun occluderAlone = swap(concat(io, "--occluder", SyntheticModels.occluder().toString()));
        assertEquals(2, occluderAlone.exitCode());
        assertTrue(occluderAlone.err().contains("--occluder is for the occlusion mask: add --occlusion-mask"),
                occluderAlone.err());
        CliRun twoKinds = swap(concat(io, "--enhancer", "gfpgan", "--enhancer-model", "gpen256=" + SyntheticModels.gpen256()));
        assertEquals(2, twoKinds.exitCode());
        assertTrue(twoKinds.err().contains("--enhancer gfpgan but --enhancer-model gpen256=FILE"), twoKinds.err());
        CliRun noKind = swap(concat(io, "--enhancer-model", SyntheticModels.gpen256().toString()));
        assertEquals(2, noKind.exitCode());
        assertTrue(noKind.err().contains("--enhancer-model needs a kind"), noKind.err());
        assertFalse(Files.exists(tmp.resolve("o.png")));
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    @Test
    void aVideoKeepsItsFrameCountFrameRateAndAudio() throws Exception {
        Path video = tmp.resolve("in.mp4");
        int frames = 12;
        double fps = 12.0;
        int sampleRate = 44100;
        try (Mat photo = ImageLoader.load(SharedData.photo("obama.jpg")); Mat small = new Mat()) {
            opencv_imgproc.resize(photo, small, new Size((photo.cols() / 2) & ~1, (photo.rows() / 2) & ~1));
            try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(video.toFile(), small.cols(), small.rows(), 1);
                    OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
                rec.setFormat("mp4");
                rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
                rec.setVideoQuality(2);
                rec.setFrameRate(fps);
                rec.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
                rec.setSampleRate(sampleRate);
                rec.setAudioChannels(1);
                rec.start();
                for (int i = 0; i < frames; i++) {
                    rec.record(conv.convert(small));
                }
                ShortBuffer tone = ShortBuffer.allocate(sampleRate);
                for (int i = 0; i < sampleRate; i++) {
                    tone.put(i, (short) (8000 * Math.sin(2 * Math.PI * 440 * i / sampleRate)));
                }
                rec.recordSamples(sampleRate, 1, tone);
                rec.stop();
            }
        }
        Path output = tmp.resolve("out.mp4");
        CliRun r = swap("--source", SharedData.photo("biden.jpg").toString(), "--target", video.toString(),
                "--output", output.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains(frames + " frame(s), " + frames + " with swapped faces"), r.out());
        Stats in = stats(video);
        Stats out = stats(output);
        assertEquals(frames, in.videoFrames());
        assertEquals(in.videoFrames(), out.videoFrames());
        assertEquals(in.fps(), out.fps(), 1e-3);
        assertEquals(1, out.audioChannels());
        assertEquals(sampleRate, out.sampleRate());
        assertEquals(in.audioSamples(), out.audioSamples(), 2048, "audio length kept (within one AAC frame)");
    }

    record Stats(int videoFrames, double fps, int audioChannels, int sampleRate, long audioSamples) {}

    static Stats stats(Path file) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            int frames = 0;
            long samples = 0;
            Frame f;
            while ((f = g.grab()) != null) {
                if (f.image != null) {
                    frames++;
                }
                if (f.samples != null) {
                    samples += f.samples[0].limit(); // mono: one value per sample, packed or planar
                }
            }
            return new Stats(frames, g.getFrameRate(), g.getAudioChannels(), g.getSampleRate(), samples);
        }
    }
}
