package app.deeplive.engine.control;

import static app.deeplive.engine.control.ObjectNodeAssert.error;
import static app.deeplive.engine.control.ObjectNodeAssert.type;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.pipeline.FaceMapping;
import app.deeplive.engine.pipeline.SwapSettings;
import app.deeplive.engine.session.InMemoryFrameSource;
import app.deeplive.engine.swap.Identity;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every message of the protocol, as a client sees it over a real loopback socket. */
class ControlProtocolTest {
    @TempDir
    Path dir;

    private TestEngine engine;

    @BeforeEach
    void start() throws Exception {
        engine = new TestEngine();
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private Path image(String name, int blue) throws Exception {
        return Files.write(dir.resolve(name), ImageBytes.png(32, 32, blue));
    }

    private static String openSession(TestClient c, String channel) throws Exception {
        ObjectNode r = type(c.request("{\"type\":\"open_session\",\"id\":1,\"channel\":\"" + channel
                + "\",\"max_width\":1920,\"max_height\":1080}"), "session_opened");
        return r.path("session").asText();
    }

    @Test
    void helloIsAnsweredWithWelcomeCarryingVersionAndCapabilities() throws Exception {
        try (TestClient c = engine.client()) {
            ObjectNode w = type(c.hello(TestEngine.TOKEN), "welcome");
            assertEquals(0, w.path("id").asInt());
            assertEquals(1, w.path("version").asInt());
            assertEquals("CPU", w.at("/capabilities/providers/0").asText());
            assertTrue(w.at("/capabilities/models/detector/loaded").asBoolean());
            assertEquals("recording (test)", w.at("/capabilities/pipeline").asText());
            assertEquals(16 << 20, w.at("/capabilities/limits/max_message_bytes").asInt());
        }
    }

    @Test
    void pingIsAnsweredWithPongEchoingAStringOrNumberId() throws Exception {
        try (TestClient c = engine.authenticated()) {
            assertEquals("abc", type(c.request("{\"type\":\"ping\",\"id\":\"abc\"}"), "pong").path("id").asText());
            assertEquals(42, type(c.request("{\"type\":\"ping\",\"id\":42}"), "pong").path("id").asInt());
        }
    }

    @Test
    void aSessionOpensRunsFramesReportsStatsAndCloses() throws Exception {
        try (TestClient c = engine.authenticated()) {
            ObjectNode opened = type(c.request(
                    "{\"type\":\"open_session\",\"id\":1,\"channel\":\"obs-1\",\"max_width\":1920,\"max_height\":1080}"),
                    "session_opened");
            String session = opened.path("session").asText();
            assertEquals("obs-1", opened.path("channel").asText());
            assertEquals(1920, opened.path("max_width").asInt());
            assertTrue(opened.path("provider").isNull(), "this pipeline swaps nothing: no provider");
            InMemoryFrameSource channel = engine.channels.get("obs-1");
            for (int i = 0; i < 5; i++) {
                channel.send(InMemoryFrameSource.frame(16, 16, 9));
                FrameView back = channel.receive(2000);
                assertEquals(9, back.pixels().get(0), "no source face yet: unchanged");
            }
            ObjectNode stats = type(c.request("{\"type\":\"get_stats\",\"id\":2,\"session\":\"" + session + "\"}"), "stats");
            assertEquals(5, stats.path("frames").asInt());
            assertEquals(0, stats.path("dropped").asInt(), "one frame at a time: none replaced by a newer one");
            assertEquals(0, stats.path("queue_depth").asInt());
            assertTrue(stats.path("fps").asDouble() > 0, stats.toString());
            assertTrue(stats.at("/latency_us/total").has("mean"), stats.toString());
            assertTrue(stats.at("/latency_us/mark").has("last"), stats.toString());
            assertFalse(stats.path("source_face").asBoolean());

            ObjectNode closed = type(c.request("{\"type\":\"close_session\",\"id\":3,\"session\":\"" + session + "\"}"),
                    "session_closed");
            assertEquals("closed by client", closed.path("reason").asText());
            error(c.request("{\"type\":\"get_stats\",\"id\":4,\"session\":\"" + session + "\"}"), "not_found");
            assertTrue(channel.isClosed(), "the channel is released when close_session returns");
        }
    }

    @Test
    void aSourceFaceFromAPathOrBase64IsReportedAndUsedFromTheNextFrame() throws Exception {
        try (TestClient c = engine.authenticated()) {
            String session = openSession(c, "obs-2");
            InMemoryFrameSource channel = engine.channels.get("obs-2");

            ObjectNode set = type(c.request("{\"type\":\"set_source_face\",\"id\":2,\"session\":\"" + session
                    + "\",\"path\":\"" + image("a.png", 51) + "\"}"), "source_face_set");
            assertEquals(32, set.at("/face/box/2").asInt());
            assertTrue(set.at("/face/score").asDouble() > 0.9);
            channel.send(InMemoryFrameSource.frame(8, 8, 0));
            assertEquals(20, channel.receive(2000).pixels().get(0), "marked with embedding 51/255");

            String b64 = Base64.getEncoder().encodeToString(ImageBytes.png(16, 16, 102));
            type(c.request("{\"type\":\"set_source_face\",\"id\":3,\"session\":\"" + session + "\",\"image\":\"" + b64
                    + "\"}"), "source_face_set");
            channel.send(InMemoryFrameSource.frame(8, 8, 0));
            assertEquals(40, channel.receive(2000).pixels().get(0), "the new face from the next frame on");

            type(c.request("{\"type\":\"set_source_face\",\"id\":4,\"session\":\"" + session + "\",\"clear\":true}"),
                    "source_face_set");
            channel.send(InMemoryFrameSource.frame(8, 8, 0));
            assertEquals(0, channel.receive(2000).pixels().get(0), "cleared: frames unchanged again");
        }
    }

    @Test
    void aSourceImageWithoutAFaceIsANoFaceErrorAndKeepsThePreviousFace() throws Exception {
        try (TestClient c = engine.authenticated()) {
            String session = openSession(c, "obs-3");
            type(c.request("{\"type\":\"set_source_face\",\"id\":2,\"session\":\"" + session + "\",\"path\":\""
                    + image("face.png", 51) + "\"}"), "source_face_set");
            ObjectNode e = error(c.request("{\"type\":\"set_source_face\",\"id\":3,\"session\":\"" + session
                    + "\",\"path\":\"" + image("dark.png", 0) + "\"}"), "no_face");
            assertEquals("no face in source image", e.path("message").asText());
            assertEquals(3, e.path("id").asInt());
            assertTrue(type(c.request("{\"type\":\"get_stats\",\"id\":4,\"session\":\"" + session + "\"}"), "stats")
                    .path("source_face").asBoolean());
        }
    }

    @Test
    void optionsChangeOnlyTheFieldsGivenAndComeBackWhole() throws Exception {
        try (TestClient c = engine.authenticated()) {
            String session = openSession(c, "obs-4");
            ObjectNode r = type(c.request("{\"type\":\"set_options\",\"id\":2,\"session\":\"" + session
                    + "\",\"options\":{\"many_faces\":true,\"opacity\":0.5,\"mouth_mask\":40,\"enhancer\":\"gpen256\","
                    + "\"sharpness\":1.5,\"color_correction\":true,\"detect_every\":2,\"pixel_boost\":256,\"occlusion_mask\":true}}"), "options_set");
            ObjectNode o = (ObjectNode) r.path("options");
            assertTrue(o.path("many_faces").asBoolean());
            assertEquals(0.5, o.path("opacity").asDouble());
            assertEquals(40, o.path("mouth_mask").asDouble());
            assertEquals("gpen256", o.path("enhancer").asText());
            assertEquals(2, o.path("detect_every").asInt());
            assertEquals(256, o.path("pixel_boost").asInt());
            assertTrue(o.path("occlusion_mask").asBoolean());
            assertTrue(r.path("warnings").isArray() && r.path("warnings").isEmpty(), "this pipeline can do all of it");
            o = (ObjectNode) type(c.request("{\"type\":\"set_options\",\"id\":3,\"session\":\"" + session
                    + "\",\"options\":{\"opacity\":1}}"), "options_set").path("options");
            assertEquals(1.0, o.path("opacity").asDouble());
            assertTrue(o.path("many_faces").asBoolean(), "untouched fields keep their value");
            assertEquals(40, o.path("mouth_mask").asDouble());
            assertEquals("", o.path("swapper").asText(), "the engine's own swapper until one is chosen");
            o = (ObjectNode) type(c.request("{\"type\":\"set_options\",\"id\":4,\"session\":\"" + session
                    + "\",\"options\":{\"swapper\":\"inswapper_128_fp16\"}}"), "options_set").path("options");
            assertEquals("inswapper_128_fp16", o.path("swapper").asText());
            o = (ObjectNode) type(c.request("{\"type\":\"set_options\",\"id\":5,\"session\":\"" + session
                    + "\",\"options\":{\"swapper\":\"\"}}"), "options_set").path("options");
            assertEquals("", o.path("swapper").asText(), "\"\" goes back to the engine's own");
        }
    }

    @Test
    void faceMappingResolvesEveryImageOrChangesNothing() throws Exception {
        try (TestClient c = engine.authenticated()) {
            String session = openSession(c, "obs-5");
            String ok = "{\"path\":\"" + image("ref.png", 60) + "\"}";
            ObjectNode r = type(c.request("{\"type\":\"set_options\",\"id\":2,\"session\":\"" + session
                    + "\",\"options\":{\"face_mapping\":[{\"reference\":" + ok + ",\"source\":" + ok
                    + "}],\"mapping_threshold\":0.5}}"), "options_set");
            assertEquals(1, r.at("/options/face_mapping").asInt());
            String dark = "{\"path\":\"" + image("dark.png", 0) + "\"}";
            error(c.request("{\"type\":\"set_options\",\"id\":3,\"session\":\"" + session
                    + "\",\"options\":{\"opacity\":0.2,\"face_mapping\":[{\"reference\":" + ok + ",\"source\":" + dark
                    + "}]}}"), "no_face");
            ObjectNode after = type(c.request("{\"type\":\"set_options\",\"id\":4,\"session\":\"" + session
                    + "\",\"options\":{}}"), "options_set");
            assertEquals(1.0, after.at("/options/opacity").asDouble(), "the failed request changed nothing");
            assertEquals(1, after.at("/options/face_mapping").asInt());
        }
    }

    /**
     * Several photos of one person make one identity, their embeddings averaged (as {@code swap --source a,b,c}): for
     * the session's face ({@code images}, by path or bytes) and for either side of a mapping (an array of images). The test finder's
     * embedding is (mean blue, mean green): a blue and a green photo average to the diagonal.
     */
    private static String base64(Path file) throws Exception {
        return Base64.getEncoder().encodeToString(Files.readAllBytes(file));
    }

    @Test
    void severalPhotosOfOnePersonAreAveragedIntoOneIdentity() throws Exception {
        Path blue = Files.write(dir.resolve("blue.png"), ImageBytes.png(32, 32, 200, 0));
        Path green = Files.write(dir.resolve("green.png"), ImageBytes.png(40, 40, 0, 200));
        float[] diagonal = Identity.average(List.of(new float[] {1, 0}, new float[] {0, 1})).embedding();
        try (TestClient c = engine.authenticated()) {
            String session = openSession(c, "obs-avg");
            ObjectNode r = type(c.request("{\"type\":\"set_source_face\",\"id\":2,\"session\":\"" + session
                    + "\",\"images\":[{\"path\":\"" + blue + "\"},{\"image\":\"" + base64(green) + "\"}]}"), "source_face_set");
            assertEquals(32, r.at("/face/box/2").asDouble(), "the first photo's face is the one described");
            SwapSettings now = engine.sessions.find(session).orElseThrow().settings().options();
            assertArrayEquals(diagonal, now.source().embedding(), 1e-6f);

            type(c.request("{\"type\":\"set_options\",\"id\":3,\"session\":\"" + session
                    + "\",\"options\":{\"face_mapping\":[{\"reference\":{\"path\":\"" + blue + "\"},\"source\":"
                    + "[{\"path\":\"" + blue + "\"},{\"path\":\"" + green + "\"}]}]}}"), "options_set");
            FaceMapping mapping = engine.sessions.find(session).orElseThrow().settings().options().mappings().get(0);
            assertArrayEquals(new float[] {1, 0}, mapping.reference().embedding(), 1e-6f);
            assertArrayEquals(diagonal, mapping.source().embedding(), 1e-6f);
        }
    }

    @Test
    void aChannelThatCannotBeAttachedIsAnErrorAndTheConnectionCarriesOn() throws Exception {
        try (TestClient c = engine.authenticated()) {
            error(c.request("{\"type\":\"open_session\",\"id\":1,\"channel\":\"missing-1\"}"), "not_found");
            type(c.request("{\"type\":\"ping\",\"id\":2}"), "pong");
        }
    }

    @Test
    void aChannelThatDiesIsReportedAsASessionClosedEvent() throws Exception {
        try (TestClient c = engine.authenticated()) {
            String session = openSession(c, "obs-6");
            engine.channels.get("obs-6").hangUp();
            ObjectNode event = type(c.read(), "session_closed");
            assertFalse(event.has("id"));
            assertEquals(session, event.path("session").asText());
            assertTrue(event.path("reason").asText().contains("producer gone"), event.toString());
        }
    }

    @Test
    void sessionsBelongToTheirConnectionAndEndWhenItCloses() throws Exception {
        String session;
        try (TestClient a = engine.authenticated(); TestClient b = engine.authenticated()) {
            session = openSession(a, "obs-7");
            error(b.request("{\"type\":\"get_stats\",\"id\":1,\"session\":\"" + session + "\"}"), "not_found");
        }
        for (int i = 0; i < 100 && engine.sessions.openCount() > 0; i++) {
            Thread.sleep(20);
        }
        assertEquals(0, engine.sessions.openCount());
        for (int i = 0; i < 100 && !engine.channels.get("obs-7").isClosed(); i++) {
            Thread.sleep(20);
        }
        assertTrue(engine.channels.get("obs-7").isClosed());
    }

    @Test
    void aSessionWhoseClientLeftWhileItsChannelAttachedEndsAtOnce() throws Exception {
        try (TestClient c = engine.authenticated()) {
            c.send("{\"type\":\"open_session\",\"id\":1,\"channel\":\"slow-1\"}");
            assertTrue(engine.slowAttaching.await(5, TimeUnit.SECONDS));
        } // the client is gone before the channel is attached
        for (int i = 0; i < 100 && engine.server.openConnections() > 0; i++) {
            Thread.sleep(20);
        }
        engine.slowAttach.countDown();
        for (int i = 0; i < 100 && (engine.channels.get("slow-1") == null || !engine.channels.get("slow-1").isClosed()); i++) {
            Thread.sleep(20);
        }
        assertTrue(engine.channels.get("slow-1").isClosed(), "the session's channel was released");
        assertEquals(0, engine.sessions.openCount());
    }

    @Test
    void theSessionLimitIsALimitError() throws Exception {
        try (TestClient c = engine.authenticated()) {
            for (int i = 0; i < 4; i++) {
                openSession(c, "ch-" + i);
            }
            error(c.request("{\"type\":\"open_session\",\"id\":9,\"channel\":\"ch-x\"}"), "limit");
        }
    }

    @Test
    void shuttingDownTellsSessionsAndClientsThenCloses() throws Exception {
        try (TestClient c = engine.authenticated()) {
            String session = openSession(c, "obs-8");
            engine.close();
            ObjectNode closed = type(c.read(), "session_closed");
            assertEquals(session, closed.path("session").asText());
            assertEquals("engine shutting down", closed.path("reason").asText());
            type(c.read(), "bye");
            assertTrue(c.closedByEngine());
            assertTrue(engine.channels.get("obs-8").isClosed());
        }
    }

    @Test
    void theWrongTokenIsAnAuthErrorAndCloses() throws Exception {
        try (TestClient c = engine.client()) {
            ObjectNode e = error(c.hello("0".repeat(64)), "auth");
            assertEquals("wrong token (read it from the engine's token file)", e.path("message").asText());
            assertTrue(c.closedByEngine());
        }
    }

    @Test
    void aMessageBeforeHelloIsAnAuthErrorAndCloses() throws Exception {
        try (TestClient c = engine.client()) {
            error(c.request("{\"type\":\"open_session\",\"id\":1,\"channel\":\"x\"}"), "auth");
            assertTrue(c.closedByEngine());
        }
        try (TestClient c = engine.client()) {
            error(c.request("{\"type\":\"ping\",\"id\":1}"), "auth");
            assertTrue(c.closedByEngine());
        }
    }

    @Test
    void aHelloWithoutTokenOrWithAnotherVersionCloses() throws Exception {
        try (TestClient c = engine.client()) {
            error(c.request("{\"type\":\"hello\",\"id\":1,\"version\":1}"), "auth");
            assertTrue(c.closedByEngine());
        }
        try (TestClient c = engine.client()) {
            error(c.request("{\"type\":\"hello\",\"id\":1,\"version\":2,\"token\":\"" + TestEngine.TOKEN + "\"}"),
                    "version");
            assertTrue(c.closedByEngine());
        }
    }

    @Test
    void aSecondHelloIsABadRequestButTheConnectionStays() throws Exception {
        try (TestClient c = engine.authenticated()) {
            error(c.hello(TestEngine.TOKEN), "bad_request");
            type(c.request("{\"type\":\"ping\",\"id\":5}"), "pong");
        }
    }

    @Test
    void aClientThatNeverSaysHelloIsClosedAfterTheHelloTimeout() throws Exception {
        engine.close();
        engine = new TestEngine(ControlLimits.DEFAULT.withTimeouts(java.time.Duration.ofMillis(300),
                java.time.Duration.ofSeconds(60)), 4, TestEngine.COLOUR_FINDER,
                app.deeplive.engine.session.RecordingPipelines.FACTORY);
        try (TestClient c = engine.client()) {
            error(c.read(), "auth");
            assertTrue(c.closedByEngine());
        }
    }
}
