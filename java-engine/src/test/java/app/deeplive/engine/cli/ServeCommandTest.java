package app.deeplive.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.channel.FrameResult;
import app.deeplive.engine.channel.ProducerChannel;
import app.deeplive.engine.testing.SharedData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} as a user runs it: a separate JVM, real models, a real socket, SIGTERM at the end. */
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
                "--recognizer", SharedData.model("mobilefacenet.onnx").toString()));
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
                assertFalse(welcome.at("/capabilities/models/swapper/loaded").asBoolean(true), welcome.toString());

                // A session on a real frame channel this test produces, as OBS would, in another process.
                try (ProducerChannel producer = ProducerChannel.create(0, 64 * 4 * 48)) {
                    send(s, "{\"type\":\"open_session\",\"id\":2,\"channel\":\"" + producer.name() + "\"}");
                    JsonNode opened = read(in);
                    assertEquals("session_opened", opened.path("type").asText(), opened.toString());
                    String session = opened.path("session").asText();
                    assertEquals("passthrough: no swapper loaded", opened.path("pipeline").asText());

                    send(s, "{\"type\":\"set_source_face\",\"id\":3,\"session\":\"" + session + "\",\"path\":\""
                            + SharedData.photo("obama.jpg") + "\"}");
                    JsonNode face = read(in);
                    assertEquals("source_face_set", face.path("type").asText(), face.toString());
                    assertTrue(face.at("/face/score").asDouble() > 0.5, face.toString());

                    ProducerChannel.Slot slot = producer.begin(Duration.ofSeconds(2));
                    for (int i = 0; i < 64 * 4 * 48; i++) {
                        slot.pixels().put(i, (byte) i);
                    }
                    producer.submit(slot, 64, 48, 64 * 4, 0, 0);
                    ProducerChannel.Returned back = producer.receive(Duration.ofSeconds(5));
                    assertNotNull(back, "the engine processed the frame");
                    assertEquals(FrameResult.PROCESSED, back.result());
                    for (int i = 0; i < 64 * 4 * 48; i++) {
                        assertEquals((byte) i, back.view().pixels().get(i), "no swapper: the frame passes unchanged");
                    }
                    producer.release(back);

                    send(s, "{\"type\":\"get_stats\",\"id\":4,\"session\":\"" + session + "\"}");
                    JsonNode stats = read(in);
                    assertEquals(1, stats.path("frames").asInt(), stats.toString());
                    assertTrue(stats.path("source_face").asBoolean(), stats.toString());

                    engine.destroy(); // SIGTERM
                    JsonNode closed = read(in);
                    assertEquals("session_closed", closed.path("type").asText(), closed.toString());
                    assertEquals("engine shutting down", closed.path("reason").asText());
                }
                JsonNode bye = read(in);
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
