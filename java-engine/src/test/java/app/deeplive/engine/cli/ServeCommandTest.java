package app.deeplive.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

                // Without a frame channel binding, a session cannot open; the answer says so.
                send(s, "{\"type\":\"open_session\",\"id\":2,\"channel\":\"dlf-test\"}");
                JsonNode opened = read(in);
                assertTrue(opened.path("type").asText().matches("session_opened|error"), opened.toString());

                engine.destroy(); // SIGTERM
                JsonNode bye = read(in);
                while (!"bye".equals(bye.path("type").asText())) {
                    bye = read(in);
                }
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
