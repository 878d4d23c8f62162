package app.deeplive.engine.control;

import static app.deeplive.engine.control.ObjectNodeAssert.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.session.InMemoryFrameSource;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of random and mutated messages (seeded, so a failure reproduces), then the engine must still answer
 * ping and serve a session. Every framed message gets exactly one reply and none is an internal error.
 */
class ControlFuzzTest {
    private static final long SEED = 20261124L;
    private static final int MESSAGES = 4000;
    private static final int RAW_CONNECTIONS = 150;

    @TempDir
    Path dir;

    private String[] seeds(Path image) {
        String s = "s1";
        return new String[] {
            "{\"type\":\"ping\",\"id\":1}",
            "{\"type\":\"open_session\",\"id\":2,\"channel\":\"fz\",\"max_width\":640,\"max_height\":480}",
            "{\"type\":\"set_source_face\",\"id\":3,\"session\":\"" + s + "\",\"path\":\"" + image + "\"}",
            "{\"type\":\"set_source_face\",\"id\":4,\"session\":\"" + s + "\",\"image\":\"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\"}",
            "{\"type\":\"set_options\",\"id\":5,\"session\":\"" + s + "\",\"options\":{\"many_faces\":true,\"opacity\":0.5,"
                    + "\"mouth_mask\":20,\"enhancer\":\"gfpgan\",\"sharpness\":1,\"color_correction\":false,\"detect_every\":3,"
                    + "\"face_mapping\":[{\"reference\":{\"path\":\"" + image + "\"},\"source\":{\"path\":\"" + image + "\"}}]}}",
            "{\"type\":\"get_stats\",\"id\":6,\"session\":\"" + s + "\"}",
            "{\"type\":\"close_session\",\"id\":7,\"session\":\"" + s + "\"}",
            "{\"type\":\"hello\",\"id\":8,\"version\":1,\"token\":\"x\"}",
        };
    }

    private static final String[] VALUES = {"null", "true", "-1", "0", "1e308", "-1e-308", "\"\"", "\"s1\"", "[]", "{}",
            "[[[[[]]]]]", "\"\\u0000\"", "99999999999999999999", "0.5", "\"../../etc/passwd\"", "{\"path\":1}"};

    private static String mutate(String seed, Random r) {
        StringBuilder b = new StringBuilder(seed);
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits && b.length() > 0; e++) {
            int at = r.nextInt(b.length());
            switch (r.nextInt(6)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, (char) (r.nextInt(95) + 32));
                case 2 -> b.setCharAt(at, (char) r.nextInt(0x800));
                case 3 -> b.insert(at, VALUES[r.nextInt(VALUES.length)]);
                case 4 -> {
                    // Replace a value after a colon with another JSON value of any type.
                    int colon = b.indexOf(":", at);
                    int end = colon < 0 ? -1 : nextDelimiter(b, colon + 1);
                    if (colon >= 0 && end > colon) {
                        b.replace(colon + 1, end, VALUES[r.nextInt(VALUES.length)]);
                    }
                }
                default -> b.setLength(at);
            }
        }
        return b.toString();
    }

    private static int nextDelimiter(StringBuilder b, int from) {
        boolean inString = false;
        for (int i = from; i < b.length(); i++) {
            char c = b.charAt(i);
            if (c == '"' && (i == 0 || b.charAt(i - 1) != '\\')) {
                inString = !inString;
            } else if (!inString && (c == ',' || c == '}' || c == ']')) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(300)];
        r.nextBytes(b);
        return b;
    }

    @Test
    void randomAndMutatedMessagesNeverHurtTheEngine() throws Exception {
        Random r = new Random(SEED);
        Path image = Files.write(dir.resolve("face.png"), ImageBytes.png(24, 24, 120));
        String[] seeds = seeds(image);
        int errors = 0;
        int reconnects = 0;
        try (TestEngine engine = new TestEngine()) {
            TestClient c = engine.authenticated();
            try {
                for (int i = 0; i < MESSAGES; i++) {
                    byte[] body = r.nextInt(5) == 0
                            ? randomBytes(r)
                            : mutate(seeds[r.nextInt(seeds.length)], r).getBytes(StandardCharsets.UTF_8);
                    ObjectNode reply;
                    try {
                        c.sendRaw(TestClient.frame(body));
                        reply = c.read();
                        while (reply != null && !reply.has("id")) { // events (a session that ended) are not replies
                            reply = c.read();
                        }
                    } catch (IOException e) {
                        reply = null;
                    }
                    if (reply == null) {
                        // Only a framing fault may close an authenticated connection, and every frame here is valid.
                        throw new AssertionError("message " + i + " closed the connection: " + new String(body, StandardCharsets.UTF_8));
                    }
                    ObjectNode answered = reply;
                    int n = i;
                    assertNotEquals("internal", answered.path("code").asText(), () -> "message " + n + " caused " + answered);
                    if ("error".equals(reply.path("type").asText())) {
                        errors++;
                    }
                }
                type(c.request("{\"type\":\"ping\",\"id\":\"after\"}"), "pong");
            } finally {
                c.close();
            }
            assertTrue(errors > MESSAGES / 2, "most mutations are errors: " + errors);

            // Raw garbage on fresh connections: any bytes at all, closed or answered, never a crash.
            for (int i = 0; i < RAW_CONNECTIONS; i++) {
                try (TestClient raw = engine.client()) {
                    raw.sendRaw(randomBytes(r));
                    if (r.nextBoolean()) {
                        raw.timeout(200);
                        try {
                            raw.read();
                        } catch (IOException e) {
                            // waiting for more bytes: fine, the hello timeout will end it
                        }
                    }
                } catch (IOException e) {
                    reconnects++;
                }
            }

            try (TestClient after = engine.authenticated()) {
                type(after.request("{\"type\":\"ping\",\"id\":1}"), "pong");
                String s = type(after.request("{\"type\":\"open_session\",\"id\":2,\"channel\":\"after-fuzz\"}"),
                        "session_opened").path("session").asText();
                type(after.request("{\"type\":\"set_source_face\",\"id\":3,\"session\":\"" + s + "\",\"path\":\"" + image
                        + "\"}"), "source_face_set");
                InMemoryFrameSource channel = engine.channels.get("after-fuzz");
                channel.send(InMemoryFrameSource.frame(8, 8, 0));
                assertNotNull(channel.receive(2000), "the session still processes frames");
                assertEquals(1, type(after.request("{\"type\":\"get_stats\",\"id\":4,\"session\":\"" + s + "\"}"), "stats")
                        .path("frames").asInt());
            }
            assertTrue(reconnects < RAW_CONNECTIONS, "connections were accepted");
        }
    }
}
