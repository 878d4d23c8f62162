package app.deeplive.engine.control;

import static app.deeplive.engine.control.ObjectNodeAssert.error;
import static app.deeplive.engine.control.ObjectNodeAssert.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad input gets a precise error (or a closed connection) and the engine carries on. */
class ControlBadInputTest {
    @TempDir
    static Path dir;

    private static TestEngine engine;

    @BeforeAll
    static void start() throws Exception {
        engine = new TestEngine();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** The engine still serves a fresh client after whatever the test did. */
    private static void engineStillServes() throws Exception {
        try (TestClient c = engine.authenticated()) {
            type(c.request("{\"type\":\"ping\",\"id\":99}"), "pong");
        }
    }

    private static String session(TestClient c) throws Exception {
        return type(c.request("{\"type\":\"open_session\",\"id\":1,\"channel\":\"bad-" + System.nanoTime() + "\"}"),
                "session_opened").path("session").asText();
    }

    @Test
    void aNegativeLengthIsABadRequestAndCloses() throws Exception {
        try (TestClient c = engine.authenticated()) {
            c.sendRaw(ByteBuffer.allocate(8).putInt(-5).putInt(0).array());
            error(c.read(), "bad_request");
            assertTrue(c.closedByEngine());
        }
        engineStillServes();
    }

    @Test
    void aLengthOverTheLimitIsTooLargeAtOnceWithoutWaitingForTheBody() throws Exception {
        try (TestClient c = engine.authenticated()) {
            c.sendRaw(ByteBuffer.allocate(4).putInt(0x7FFFFFF0).array());
            ObjectNode e = error(c.read(), "too_large");
            assertTrue(e.path("message").asText().contains("16777216"), e.toString());
            assertTrue(c.closedByEngine());
        }
        try (TestClient c = engine.client()) { // before hello, 64 KiB is the most a message may be
            c.sendRaw(ByteBuffer.allocate(4).putInt((64 << 10) + 1).array());
            ObjectNode e = error(c.read(), "too_large");
            assertEquals("a message before hello may be at most 65536 bytes", e.path("message").asText());
            assertTrue(c.closedByEngine());
        }
        engineStillServes();
    }

    @Test
    void invalidJsonIsABadRequestAndTheConnectionCarriesOn() throws Exception {
        try (TestClient c = engine.authenticated()) {
            for (String bad : new String[] {"{", "", "[1,2]", "42", "\"ping\"", "{\"type\":\"ping\"} {}", "{\"type\":1}",
                    "{\"id\":1}", "{\"type\":\"ping\",\"type\":\"ping\"}", "{\"type\":\"ping\",\"id\":{}}",
                    "{\"type\":\"ping\",\"id\":1.5}", "[".repeat(100)}) {
                c.send(bad);
                error(c.read(), "bad_request");
            }
            c.sendRaw(TestClient.frame(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}));
            error(c.read(), "bad_request");
            type(c.request("{\"type\":\"ping\",\"id\":7}"), "pong");
        }
    }

    @Test
    void invalidJsonBeforeHelloCloses() throws Exception {
        try (TestClient c = engine.client()) {
            c.send("not json");
            error(c.read(), "bad_request");
            assertTrue(c.closedByEngine());
        }
    }

    @Test
    void anUnknownTypeIsNamedInTheError() throws Exception {
        try (TestClient c = engine.authenticated()) {
            ObjectNode e = error(c.request("{\"type\":\"launch_rockets\",\"id\":3}"), "unknown_type");
            assertEquals(3, e.path("id").asInt());
            assertEquals("unknown message type 'launch_rockets'", e.path("message").asText());
        }
    }

    @Test
    void wrongFieldTypesAndRangesNameTheField() throws Exception {
        try (TestClient c = engine.authenticated()) {
            String s = session(c);
            String[][] cases = {
                {"{\"type\":\"open_session\",\"id\":2}", "channel is required in open_session"},
                {"{\"type\":\"open_session\",\"id\":2,\"channel\":5}", "channel must be a string"},
                {"{\"type\":\"open_session\",\"id\":2,\"channel\":\"a b\"}", "channel must be printable ASCII without spaces"},
                {"{\"type\":\"open_session\",\"id\":2,\"channel\":\"x\",\"max_width\":0}", "max_width must be an integer in 1..8192"},
                {"{\"type\":\"open_session\",\"id\":2,\"channel\":\"x\",\"max_height\":\"1080\"}", "max_height must be an integer in 1..8192"},
                {"{\"type\":\"open_session\",\"id\":2,\"channel\":\"x\",\"colour\":1}", "unknown field 'colour' in open_session"},
                {"{\"type\":\"get_stats\",\"id\":2}", "session is required in get_stats"},
                {"{\"type\":\"set_options\",\"id\":2,\"session\":\"" + s + "\",\"options\":{\"opacity\":1.5}}", "opacity must be a number in 0..1"},
                {"{\"type\":\"set_options\",\"id\":2,\"session\":\"" + s + "\",\"options\":{\"opacity\":\"0.5\"}}", "opacity must be a number in 0..1"},
                {"{\"type\":\"set_options\",\"id\":2,\"session\":\"" + s + "\",\"options\":{\"mouth_mask\":101}}", "mouth_mask must be a number in 0..100"},
                {"{\"type\":\"set_options\",\"id\":2,\"session\":\"" + s + "\",\"options\":{\"sharpness\":-1}}", "sharpness must be a number in 0..10"},
                {"{\"type\":\"set_options\",\"id\":2,\"session\":\"" + s + "\",\"options\":{\"many_faces\":1}}", "many_faces must be true or false"},
                {"{\"type\":\"set_options\",\"id\":2,\"session\":\"" + s + "\",\"options\":{\"enhancer\":\"magic\"}}", "enhancer must be one of off, gfpgan, gpen256, gpen512, got 'magic'"},
                {"{\"type\":\"set_options\",\"id\":2,\"session\":\"" + s + "\",\"options\":{\"detect_every\":2.5}}", "detect_every must be an integer in 1..60"},
                {"{\"type\":\"set_options\",\"id\":2,\"session\":\"" + s + "\",\"options\":{\"pixel_boost\":384}}", "pixel_boost is one of [128, 256, 512] (128 is off), not 384"},
                {"{\"type\":\"set_options\",\"id\":2,\"session\":\"" + s + "\",\"options\":{\"pixel_boost\":1024}}", "pixel_boost must be an integer in 128..512"},
                {"{\"type\":\"set_options\",\"id\":2,\"session\":\"" + s + "\",\"options\":{\"occlusion_mask\":1}}", "occlusion_mask must be true or false"},
                {"{\"type\":\"set_options\",\"id\":2,\"session\":\"" + s + "\",\"options\":{\"swapper\":\"inswapper_256\"}}", "swapper is one of [inswapper_128, inswapper_128_fp16, hyperswap_1a_256, hyperswap_1b_256, hyperswap_1c_256], or \"\" for the engine's own, not \"inswapper_256\""},
                {"{\"type\":\"set_options\",\"id\":2,\"session\":\"" + s + "\",\"options\":{\"swapper\":5}}", "swapper must be a string"},
                {"{\"type\":\"set_options\",\"id\":2,\"session\":\"" + s + "\",\"options\":{\"opacty\":1}}", "unknown field 'opacty' in options"},
                {"{\"type\":\"set_options\",\"id\":2,\"session\":\"" + s + "\",\"options\":{\"face_mapping\":[1]}}", "face_mapping[0] must be an object with reference and source"},
                {"{\"type\":\"set_options\",\"id\":2,\"session\":\"" + s + "\",\"options\":{\"face_mapping\":[{\"reference\":{},\"source\":{}}]}}", "face_mapping[0].reference needs exactly one of path or image"},
                {"{\"type\":\"set_options\",\"id\":2,\"session\":\"" + s + "\",\"options\":5}", "options must be an object"},
                {"{\"type\":\"set_source_face\",\"id\":2,\"session\":\"" + s + "\"}", "set_source_face needs exactly one of path, image, images or clear: true"},
                {"{\"type\":\"set_source_face\",\"id\":2,\"session\":\"" + s + "\",\"path\":\"/a\",\"image\":\"AA==\"}", "set_source_face needs exactly one of path, image, images or clear: true"},
                {"{\"type\":\"set_source_face\",\"id\":2,\"session\":\"" + s + "\",\"images\":[]}", "images must list 1..8 images"},
                {"{\"type\":\"set_source_face\",\"id\":2,\"session\":\"" + s + "\",\"images\":{\"path\":\"/a\"}}", "images must be an array of 1..8 images"},
                {"{\"type\":\"set_source_face\",\"id\":2,\"session\":\"" + s + "\",\"images\":[{\"path\":\"/a\"},7]}", "images[1] must be an object with path or image"},
                {"{\"type\":\"set_options\",\"id\":2,\"session\":\"" + s + "\",\"options\":{\"face_mapping\":[{\"reference\":[],\"source\":{\"path\":\"/a\"}}]}}", "face_mapping[0].reference must list 1..8 images"},
                {"{\"type\":\"set_options\",\"id\":2,\"session\":\"" + s + "\",\"options\":{\"face_mapping\":[{\"reference\":{\"image\":\"AA==\"},\"source\":[{\"path\":\"/a\"},\"/b\"]}]}}", "face_mapping[0].source[1] must be an object with path or image"},
                {"{\"type\":\"set_source_face\",\"id\":2,\"session\":\"" + s + "\",\"path\":7}", "path must be a string"},
            };
            for (String[] bad : cases) {
                ObjectNode e = error(c.request(bad[0]), "bad_request");
                assertEquals(bad[1], e.path("message").asText(), bad[0]);
                assertEquals(2, e.path("id").asInt());
            }
            error(c.request("{\"type\":\"get_stats\",\"id\":3,\"session\":\"s999\"}"), "not_found");
            type(c.request("{\"type\":\"get_stats\",\"id\":4,\"session\":\"" + s + "\"}"), "stats");
        }
    }

    @Test
    void badSourceImagesAreAnsweredWithPreciseErrors() throws Exception {
        Path corrupt = Files.write(dir.resolve("corrupt.png"), Arrays.copyOf(ImageBytes.png(64, 64, 200), 60));
        byte[] bomb = ImageBytes.png(4, 4, 200);
        ByteBuffer.wrap(bomb).putInt(16, 50_000).putInt(20, 50_000);
        Path bombFile = Files.write(dir.resolve("bomb.png"), bomb);
        try (TestClient c = engine.authenticated()) {
            String s = session(c);
            String prefix = "{\"type\":\"set_source_face\",\"id\":5,\"session\":\"" + s + "\",";
            error(c.request(prefix + "\"path\":\"" + dir.resolve("missing.jpg") + "\"}"), "not_found");
            error(c.request(prefix + "\"path\":\"" + dir + "\"}"), "bad_request");
            error(c.request(prefix + "\"path\":\"" + corrupt + "\"}"), "bad_image");
            error(c.request(prefix + "\"path\":\"" + bombFile + "\"}"), "too_large");
            error(c.request(prefix + "\"image\":\"" + Base64.getEncoder().encodeToString(bomb) + "\"}"), "too_large");
            error(c.request(prefix + "\"image\":\"%%%\"}"), "bad_request");
            error(c.request(prefix + "\"image\":\"" + Base64.getEncoder().encodeToString("hello".getBytes()) + "\"}"),
                    "bad_image");
            type(c.request("{\"type\":\"get_stats\",\"id\":6,\"session\":\"" + s + "\"}"), "stats");
        }
    }

    @Test
    void aBase64ImageNearTheMessageLimitIsHandled() throws Exception {
        // 12 MB of base64 garbage that decodes fine but is not an image: a clear error, no crash.
        byte[] junk = new byte[9 << 20];
        Arrays.fill(junk, (byte) 7);
        String json = "{\"type\":\"set_source_face\",\"id\":8,\"session\":\"%s\",\"image\":\""
                + Base64.getEncoder().encodeToString(junk) + "\"}";
        try (TestClient c = engine.authenticated()) {
            String s = session(c);
            byte[] body = String.format(json, s).getBytes(StandardCharsets.UTF_8);
            assertTrue(body.length < 16 << 20);
            c.sendRaw(TestClient.frame(body));
            error(c.read(), "bad_image");
        }
    }
}
