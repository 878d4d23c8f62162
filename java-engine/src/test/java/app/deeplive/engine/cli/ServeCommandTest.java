package app.deeplive.engine.cli;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2BGRA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.channel.FrameResult;
import app.deeplive.engine.channel.ProducerChannel;
import app.deeplive.engine.image.ImageLoader;
import app.deeplive.engine.testing.SharedData;
import app.deeplive.engine.testing.SyntheticModels;
import org.bytedeco.opencv.opencv_core.Mat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} as a user runs it: a separate JVM, a real socket, a real shared-memory frame channel produced by
 * this test, the real SCRFD detector with the synthetic 512-d recogniser and inswapper, SIGTERM at the end.
 */
class ServeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern READY = Pattern.compile("engine ready on ([0-9.]+):(\\d+); token in (.+)$");

    @TempDir
    Path dir;

    @Test
    void aNonLoopbackAddressNeedsAllowRemote() {
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("serve", "--host", "0.0.0.0", "--port", "0", "--token-file",
                dir.resolve("t").toString()));
        assertTrue(err.toString().contains("add --allow-remote"), err.toString());
        assertFalse(Files.exists(dir.resolve("t")), "nothing written before the checks pass");
    }

    @Test
    void anEnhancerModelWithoutItsKindIsAUsageError() {
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("serve", "--port", "0", "--token-file", dir.resolve("t").toString(),
                "--enhancer-model", "/models/gpen.onnx"));
        assertTrue(err.toString().contains("--enhancer-model expects KIND=FILE with KIND gfpgan, gpen256 or gpen512, "
                + "got '/models/gpen.onnx'"), err.toString());
        assertFalse(Files.exists(dir.resolve("t")), "nothing written before the checks pass");
    }

    @Test
    void eachOutOfRangeOptionHasALineOfItsOwnNamingIt() {
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("serve", "--port", "99999", "--max-sessions", "0", "--token-file",
                dir.resolve("t").toString()));
        List<String> lines = err.toString().strip().lines().toList();
        assertEquals(2, lines.size(), err.toString());
        assertTrue(lines.get(0).startsWith("error: --port 99999: must be 0..65535"), lines.get(0));
        assertTrue(lines.get(1).startsWith("error: --max-sessions 0: must be at least 1"), lines.get(1));
        lines.forEach(l -> assertTrue(l.endsWith("serve --help`)"), l));
        assertFalse(Files.exists(dir.resolve("t")), "nothing written before the checks pass");
    }

    @Test
    void aServeThatCannotListenLeavesTheRunningEnginesTokenAsItWas() throws Exception {
        Path tokenFile = dir.resolve("run/token");
        Files.createDirectories(tokenFile.getParent());
        String running = "ab".repeat(32); // the token of the engine already listening
        Files.writeString(tokenFile, running + "\n");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StringWriter err = new StringWriter();
            var cli = Main.commandLine();
            cli.setErr(new PrintWriter(err));
            int code = cli.execute("serve", "--port", Integer.toString(taken.getLocalPort()), "--token-file",
                    tokenFile.toString(), "--detector", SharedData.model("scrfd_2.5g_bnkps.onnx").toString(),
                    "--swapper", dir.resolve("none.onnx").toString());
            assertEquals(1, code, err.toString());
            assertTrue(err.toString().contains("is another engine running?"), err.toString());
        }
        assertEquals(running, Files.readString(tokenFile).strip(), "the running engine's clients can still connect");
    }

    @Test
    void anEngineStartedForAnOwnerStopsCleanlyWhenTheOwnerEnds() throws Exception {
        Process owner = new ProcessBuilder("sleep", "300").start(); // stands in for OBS
        Path tokenFile = dir.resolve("run/token");
        ProcessBuilder serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--port", "0",
                "--token-file", tokenFile.toString(), "--owner-pid", Long.toString(owner.pid()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("engine.log").toFile());
        serve.environment().put("DLF_MODELS_DIR", Files.createDirectories(dir.resolve("no-models")).toString());
        Process engine = serve.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(tokenFile) && engine.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(tokenFile), "engine never became ready: " + Files.readString(dir.resolve("engine.log")));

            owner.destroyForcibly(); // OBS crashed: no stop request, no module unload
            owner.waitFor();
            assertTrue(engine.waitFor(15, TimeUnit.SECONDS), "the engine outlived its owner");
            String log = Files.readString(dir.resolve("engine.log"));
            assertEquals(0, engine.exitValue(), log);
            assertTrue(log.contains("the process that started this engine (pid " + owner.pid() + ") has ended"), log);
            assertFalse(Files.exists(tokenFile), "a clean stop: the token file is removed");
        } finally {
            engine.destroyForcibly();
            owner.destroyForcibly();
        }
    }

    @Test
    void anOwnerThatDiesUnreapedStillStopsTheEngineItStarted() throws Exception {
        // "OBS" starts the engine as its child and is killed; its own parent never reaps it, so it stays a zombie,
        // which ProcessHandle calls alive. The engine is handed to another parent at once: that is what it notices.
        Path tokenFile = dir.resolve("run/token");
        Path log = dir.resolve("engine.log");
        Path obs = Files.writeString(dir.resolve("obs.sh"), "\"$JAVA\" -cp \"$CP\" " + Main.class.getName()
                + " serve --port 0 --token-file \"$TOKEN\" --owner-pid $$ > \"$LOG\" 2>&1 &\nwait\n");
        ProcessBuilder neverReaps = new ProcessBuilder("sh", "-c", "sh \"$0\" & exec sleep 300", obs.toString());
        neverReaps.environment().putAll(Map.of("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "CP", System.getProperty("java.class.path"), "TOKEN", tokenFile.toString(), "LOG", log.toString(),
                "DLF_MODELS_DIR", Files.createDirectories(dir.resolve("no-models")).toString()));
        Process sleeper = neverReaps.start();
        List<ProcessHandle> started = new ArrayList<>(); // the whole tree, also once the engine has another parent
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(tokenFile) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(tokenFile), "engine never became ready: " + (Files.exists(log) ? Files.readString(log) : ""));
            ProcessHandle owner = sleeper.toHandle().children().findFirst().orElseThrow();
            sleeper.toHandle().descendants().forEach(started::add);
            owner.destroyForcibly(); // SIGKILL; its parent, sleep, never reaps it
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (Files.exists(tokenFile) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            String text = Files.readString(log);
            assertFalse(Files.exists(tokenFile), "the engine outlived its killed owner: " + text);
            assertTrue(text.contains("the process that started this engine (pid " + owner.pid() + ") has ended"), text);
        } finally {
            sleeper.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            started.forEach(ProcessHandle::destroyForcibly);
            sleeper.destroyForcibly();
        }
    }

    @Test
    void anOwnerThatHasEndedAlreadyIsRefusedInOneLine() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        CliRun run = CliRun.of(List.of("serve", "--port", "0", "--token-file", dir.resolve("token").toString(),
                "--owner-pid", Long.toString(gone.pid())));
        assertEquals(1, run.exitCode(), run.err());
        assertEquals(List.of("error: --owner-pid " + gone.pid() + ": no such process; the engine's owner has ended "
                + "already, so there is nothing to serve"), run.errLines());
        assertFalse(Files.exists(dir.resolve("token")), "nothing was written");
    }

    /** Sends one BGRA frame through the channel and returns the processed bytes, checking the frame's result. */
    private static byte[] exchange(ProducerChannel producer, byte[] pixels, int w, int h, FrameResult expected) {
        ProducerChannel.Slot slot = producer.begin(Duration.ofSeconds(2));
        assertNotNull(slot, "a free slot");
        slot.pixels().put(pixels);
        producer.submit(slot, w, h, w * 4, 0, 0);
        ProducerChannel.Returned back = producer.receive(Duration.ofSeconds(20));
        assertNotNull(back, "the engine returned the frame");
        assertEquals(expected, back.result());
        byte[] out = new byte[pixels.length];
        back.view().pixels().get(out);
        producer.release(back);
        return out;
    }

    private static void send(Socket s, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        s.getOutputStream().write(ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array());
        s.getOutputStream().flush();
    }

    private static JsonNode read(DataInputStream in) throws IOException {
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        return JSON.readTree(body);
    }

    @Test
    void servesWithRealModelsAndStopsCleanlyOnSigterm() throws Exception {
        Path tokenFile = dir.resolve("run/token");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--port", "0",
                "--token-file", tokenFile.toString(),
                "--detector", SharedData.model("scrfd_2.5g_bnkps.onnx").toString(),
                "--recognizer", SyntheticModels.recognizer512().toString(),
                "--swapper", SyntheticModels.inswapper().toString()));
        Process engine = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> log = new CopyOnWriteArrayList<>();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(engine.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    log.add(line);
                    lines.add(line);
                }
            } catch (IOException e) {
                // the engine is gone
            }
        });
        drain.setDaemon(true);
        drain.start();
        try {
            Matcher ready = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (ready == null && System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                Matcher m = line == null ? null : READY.matcher(line);
                if (m != null && m.find()) {
                    ready = m;
                }
            }
            assertNotNull(ready, "engine never became ready: " + log);
            assertEquals(tokenFile.toString(), ready.group(3));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
            String token = Files.readString(tokenFile).strip();
            assertEquals(64, token.length());

            try (Socket s = new Socket(ready.group(1), Integer.parseInt(ready.group(2)))) {
                s.setSoTimeout(20_000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                send(s, "{\"type\":\"hello\",\"id\":1,\"version\":1,\"token\":\"" + token + "\"}");
                JsonNode welcome = read(in);
                assertEquals("welcome", welcome.path("type").asText(), welcome.toString());
                assertTrue(welcome.at("/capabilities/models/detector/loaded").asBoolean(), welcome.toString());
                assertTrue(welcome.at("/capabilities/providers").toString().contains("CPU"), welcome.toString());
                assertTrue(welcome.at("/capabilities/models/swapper/loaded").asBoolean(), welcome.toString());
                assertTrue(welcome.at("/capabilities/pipeline").asText().startsWith("face swap: inswapper_128.onnx"),
                        welcome.toString());

                // A session on a real frame channel this test produces, as OBS would, from another process,
                // with a real photo as the frame.
                byte[] photo;
                int w;
                int h;
                try (Mat bgr = ImageLoader.load(SharedData.photo("obama.jpg")); Mat bgra = new Mat()) {
                    cvtColor(bgr, bgra, COLOR_BGR2BGRA);
                    w = bgra.cols();
                    h = bgra.rows();
                    photo = new byte[w * h * 4];
                    bgra.data().get(photo);
                }
                try (ProducerChannel producer = ProducerChannel.create(0, photo.length)) {
                    send(s, "{\"type\":\"open_session\",\"id\":2,\"channel\":\"" + producer.name() + "\"}");
                    JsonNode opened = read(in);
                    assertEquals("session_opened", opened.path("type").asText(), opened.toString());
                    assertEquals("CPU", opened.path("provider").asText(), "what the swap runs on, for the status line");
                    String session = opened.path("session").asText();

                    byte[] first = exchange(producer, photo, w, h, FrameResult.UNSWAPPED);
                    assertArrayEquals(photo, first, "no source face yet: the frame comes back unchanged, marked so");

                    send(s, "{\"type\":\"set_source_face\",\"id\":3,\"session\":\"" + session + "\",\"path\":\""
                            + SharedData.photo("biden.jpg") + "\"}");
                    JsonNode face = read(in);
                    assertEquals("source_face_set", face.path("type").asText(), face.toString());
                    assertTrue(face.at("/face/score").asDouble() > 0.5, face.toString());

                    byte[] swapped = exchange(producer, photo, w, h, FrameResult.PROCESSED);
                    int changed = 0;
                    for (int i = 0; i < photo.length; i++) {
                        changed += photo[i] != swapped[i] ? 1 : 0;
                    }
                    assertTrue(changed > 1000, "the face was swapped: " + changed + " bytes changed");
                    assertEquals(photo[0], swapped[0], "the corner, far from the face, is untouched");
                    assertEquals(photo[photo.length - 1], swapped[photo.length - 1]);

                    send(s, "{\"type\":\"get_stats\",\"id\":4,\"session\":\"" + session + "\"}");
                    JsonNode stats = read(in);
                    assertEquals(2, stats.path("frames").asInt(), stats.toString());
                    assertTrue(stats.at("/latency_us/swap/mean").asLong() > 0, stats.toString());
                    assertTrue(stats.path("source_face").asBoolean(), stats.toString());
                    assertEquals(0, stats.path("dropped").asInt(-1), "one frame at a time: none dropped; " + stats);
                    assertTrue(stats.path("queue_depth").isIntegralNumber(), stats.toString());

                    engine.destroy(); // SIGTERM
                    JsonNode closed = read(in);
                    assertEquals("session_closed", closed.path("type").asText(), closed.toString());
                    assertEquals("engine shutting down", closed.path("reason").asText());
                }
                JsonNode bye = read(in);
                assertEquals("bye", bye.path("type").asText(), bye.toString());
                assertEquals("engine shutting down", bye.path("reason").asText());
            }
            assertTrue(engine.waitFor(15, TimeUnit.SECONDS), "engine did not stop");
            drain.join(5000);
            assertEquals(0, engine.exitValue(), String.join("\n", log));
            assertFalse(Files.exists(tokenFile), "the token file is removed on a clean stop");
        } finally {
            engine.destroyForcibly();
        }
    }
}
