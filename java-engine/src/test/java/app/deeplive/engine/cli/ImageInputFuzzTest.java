package app.deeplive.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.testing.MalformedImages;
import app.deeplive.engine.testing.SharedData;
import app.deeplive.engine.testing.SyntheticModels;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's image inputs fed a fixed, seeded set of malformed files: photos cut at several lengths, headers that
 * claim huge sizes, wrong magic bytes, empty files, a directory, a named pipe and a missing file. Whatever the file,
 * the user gets exactly one line on stderr that names it, without exception class names or OpenCV text, exit code
 * 1, and no run hangs (a pipe opened for reading would wait forever for a writer). {@code analyze} goes on past all
 * of them to the good photo at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageInputFuzzTest {
    private static final long SEED = 0x5EEDF00DL;
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final Pattern INTERNALS =
            Pattern.compile("Exception|\\w+Error\\b|(?i:opencv|assertion)|\\bat [a-z]+\\.|\\.cpp\\b|Usage:");

    private Path tmp;

    /** Name of the case, for messages, to the malformed file. */
    private final Map<String, Path> cases = new LinkedHashMap<>();
    /** One case of each kind, for the slower swap runs. */
    private final List<Path> oneOfEachKind = new ArrayList<>();

    @BeforeAll
    void makeTheMalformedFiles(@TempDir Path folder) throws IOException {
        tmp = folder;
        Random random = new Random(SEED);
        for (String photo : new String[] {"obama.jpg", "t1.jpg", "Tom_Hanks_54745.png"}) {
            byte[] whole = Files.readAllBytes(SharedData.photo(photo));
            String ext = photo.substring(photo.lastIndexOf('.'));
            // The first bytes (inside the signature or the first header), then seeded cuts through the data.
            List<Integer> lengths = new ArrayList<>(List.of(1, 2, 3, 8, 24, 100));
            for (int i = 0; i < 4; i++) {
                lengths.add(200 + random.nextInt(whole.length - 201));
            }
            lengths.add(whole.length - 1);
            for (int n : lengths) {
                add("cut " + photo + " to " + n, "cut-" + n + "-" + photo, Arrays.copyOf(whole, n), n == 100 || n == whole.length - 1);
            }
            byte[] magic = whole.clone();
            magic[0] ^= 0x55;
            magic[1] ^= 0x55;
            add("wrong magic " + photo, "magic-" + photo, magic, true);
            byte[] noise = new byte[4096];
            random.nextBytes(noise);
            add("random bytes named " + ext, "noise" + ext, noise, false);
        }
        add("PNG claiming 60000x60000", "huge.png", MalformedImages.png(60000, 60000), true);
        add("PNG claiming 2^31-1 wide", "wide.png", MalformedImages.png(Integer.MAX_VALUE, 1), false);
        add("PNG claiming 0 wide", "zero-wide.png", MalformedImages.png(0, 100), false);
        add("BMP claiming 70000x70000", "huge.bmp", MalformedImages.bmp(70000, 70000), true);
        add("BMP claiming negative width", "negative.bmp", MalformedImages.bmp(-640, 480), false);
        add("JPEG claiming 65535x65535", "huge.jpg", jpegClaiming(Files.readAllBytes(SharedData.photo("obama.jpg")), 65535, 65535), true);
        add("zero bytes", "empty.jpg", new byte[0], true);
        add("GIF magic, garbage after", "broken.gif", "GIF89a\u0010\u0000\u0010\u0000garbage".getBytes(), false);
        add("TIFF magic, garbage after", "broken.tif", "II*\u0000\u0008\u0000\u0000\u0000garbage".getBytes(), false);
        add("text named .png", "notes.png", "not an image at all\n".getBytes(), false);
        Path dir = Files.createDirectory(tmp.resolve("folder.jpg"));
        cases.put("a directory", dir);
        oneOfEachKind.add(dir);
        Path fifo = tmp.resolve("pipe.jpg");
        if (MalformedImages.fifo(fifo)) { // the one case the Java API cannot make: skipped only without mkfifo
            cases.put("a FIFO", fifo);
            oneOfEachKind.add(fifo);
        }
        Path missing = tmp.resolve("missing.png");
        cases.put("a missing file", missing);
        oneOfEachKind.add(missing);
    }

    @Test
    void analyzeGivesOneLinePerBadImageAndStillAnalysesTheGoodOneAtTheEnd() throws Exception {
        List<String> args = new ArrayList<>(analyzeArgs());
        cases.values().forEach(p -> args.add(p.toString()));
        Path good = SharedData.photo("biden.jpg");
        args.add(good.toString());
        CliRun r = run(args);

        assertEquals(1, r.exitCode(), "some images failed: " + r.err());
        List<String> errors = r.errLines();
        assertEquals(cases.size(), errors.size(), "one stderr line per bad image:\n" + r.err());
        int i = 0;
        for (Map.Entry<String, Path> c : cases.entrySet()) {
            assertOneLineAbout(c.getKey(), c.getValue(), errors.get(i++));
        }
        List<String> json = r.out().strip().lines().toList();
        assertEquals(cases.size() + 1, json.size(), r.out());
        JsonNode last = FaceJson.MAPPER.readTree(json.get(json.size() - 1));
        assertEquals(good.toString(), last.get("image").asText());
        assertEquals(1, last.get("faces").size(), "the good photo after the bad ones is analysed: " + last);
    }

    @Test
    void analyzeOfEachBadImageAloneIsOneLineAndExitOne() {
        for (Map.Entry<String, Path> c : cases.entrySet()) {
            List<String> args = new ArrayList<>(analyzeArgs());
            args.add(c.getValue().toString());
            CliRun r = run(args);
            assertEquals(1, r.exitCode(), c.getKey() + ": " + r.err());
            assertEquals(1, r.errLines().size(), c.getKey() + ":\n" + r.err());
            assertOneLineAbout(c.getKey(), c.getValue(), r.errLines().get(0));
        }
    }

    /**
     * The in-process runs above see only what Java writes; OpenCV's decoders print their own assertion and TIFF
     * errors to the process's stderr. The program as a user starts it prints nothing but the engine's lines.
     */
    @Test
    void theProgramsWholeStderrIsTheOneLinePerBadImage() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(analyzeArgs());
        List<Path> bad = List.of(cases.get("GIF magic, garbage after"), cases.get("TIFF magic, garbage after"),
                cases.get("JPEG claiming 65535x65535"));
        bad.forEach(p -> cmd.add(p.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("OPENCV_LOG_LEVEL");
        pb.environment().remove("DLF_DEBUG");
        Process program = pb.start();
        String err = new String(program.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(program.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS), "hung");
        assertEquals(1, program.exitValue(), err);
        List<String> lines = err.lines().filter(l -> !l.contains(" INFO ")).toList(); // the model's load line
        assertEquals(bad.size(), lines.size(), "one line per bad image, nothing else:\n" + err);
        for (int i = 0; i < bad.size(); i++) {
            assertOneLineAbout(bad.get(i).getFileName().toString(), bad.get(i), lines.get(i));
        }
    }

    @Test
    void swapWithABadSourceOrTargetIsOneLineAndExitOneAndWritesNothing() {
        Path good = SharedData.photo("obama.jpg");
        for (Path bad : oneOfEachKind) {
            Path output = tmp.resolve("out-" + bad.getFileName() + ".png");
            for (String role : new String[] {"--source", "--target"}) {
                List<String> args = new ArrayList<>(List.of("swap",
                        "--detector", SharedData.model("scrfd_500m_bnkps.onnx").toString(),
                        "--recognizer", SyntheticModels.recognizer512().toString(),
                        "--swapper", SyntheticModels.inswapper().toString(),
                        "--output", output.toString()));
                args.addAll(List.of("--source", role.equals("--source") ? bad.toString() : good.toString()));
                args.addAll(List.of("--target", role.equals("--target") ? bad.toString() : good.toString()));
                CliRun r = run(args);
                String what = role + " " + bad.getFileName();
                assertEquals(1, r.exitCode(), what + ": " + r.err());
                assertEquals(1, r.errLines().size(), what + ":\n" + r.err());
                assertOneLineAbout(what, bad, r.errLines().get(0));
                assertFalse(Files.exists(output), what + ": no output");
            }
        }
    }

    private static List<String> analyzeArgs() {
        return List.of("analyze", "--detector", SharedData.model("scrfd_500m_bnkps.onnx").toString());
    }

    private static void assertOneLineAbout(String what, Path file, String line) {
        assertTrue(line.startsWith("error: "), what + ": " + line);
        assertTrue(line.contains(file.toString()), what + ": the line names the file: " + line);
        assertFalse(INTERNALS.matcher(line).find(), what + ": no internals: " + line);
        assertTrue(line.lastIndexOf(": ") > line.indexOf(file.toString()) + file.toString().length(),
                what + ": says why and what to do: " + line);
    }

    /** Runs the CLI in-process with its own streams, bounded in time so that a blocking read fails the test. */
    private static CliRun run(List<String> args) {
        return assertTimeoutPreemptively(BOUND, () -> {
            return CliRun.of(args);
        }, () -> "hung: " + args);
    }

    private void add(String what, String name, byte[] data, boolean forSwap) throws IOException {
        Path p = Files.write(tmp.resolve(name), data);
        cases.put(what, p);
        if (forSwap) {
            oneOfEachKind.add(p);
        }
    }

    /** The JPEG with its frame header (SOF) claiming {@code width × height}. */
    private static byte[] jpegClaiming(byte[] jpeg, int width, int height) {
        byte[] out = jpeg.clone();
        ByteBuffer b = ByteBuffer.wrap(out);
        int i = 2;
        while (i + 9 < out.length) {
            int marker = out[i + 1] & 0xFF;
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                b.putShort(i + 5, (short) height);
                b.putShort(i + 7, (short) width);
                return out;
            }
            i += 2 + Short.toUnsignedInt(b.getShort(i + 2));
        }
        throw new IllegalArgumentException("no frame header");
    }
}
