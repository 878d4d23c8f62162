package app.deeplive.engine.control;

import static app.deeplive.engine.control.ObjectNodeAssert.type;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2BGRA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.image.ImageLoader;
import app.deeplive.engine.image.PixelFormat;
import app.deeplive.engine.models.ModelDirectory;
import app.deeplive.engine.models.ModelFiles;
import app.deeplive.engine.models.ModelManifest;
import app.deeplive.engine.models.Sha256;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.session.InMemoryFrameSource;
import app.deeplive.engine.session.SourceFace;
import app.deeplive.engine.testing.SharedData;
import app.deeplive.engine.testing.SyntheticModels;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An optional model a session asks for with set_options is fetched while the engine serves: from a local HTTP server
 * named by a test manifest, into an empty model directory. While it downloads, get_stats says how far it got; once
 * verified it is loaded and the session enhances from its next frame. A download that fails (404, wrong bytes) is one
 * warning line with the fix, the engine keeps serving, and it is tried again only when options are set again.
 */
class ModelsOnDemandTest {
    private static final String MODEL = "GPEN-BFR-256";
    private static final String PATH = "/gpen_bfr_256.onnx";
    private static final long DEADLINE_MS = 60_000;

    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    /** What the server answers for PATH: the bytes to send (null: 404). */
    private final AtomicReference<byte[]> body = new AtomicReference<>();
    /** The server sends the first half of the body, then waits for this before sending the rest. */
    private final CountDownLatch rest = new CountDownLatch(1);
    private byte[] gpen;

    @BeforeEach
    void serve() throws Exception {
        gpen = Files.readAllBytes(SyntheticModels.gpen256());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                byte[] b = PATH.equals(ex.getRequestURI().getPath()) ? body.get() : null;
                requests.incrementAndGet();
                if (b == null) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                ex.sendResponseHeaders(200, b.length);
                OutputStream out = ex.getResponseBody();
                out.write(b, 0, b.length / 2);
                out.flush();
                rest.await(DEADLINE_MS, TimeUnit.MILLISECONDS);
                out.write(b, b.length / 2, b.length - b.length / 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        rest.countDown();
        if (server != null) { // null when set-up was skipped for want of the synthetic models' generator
            server.stop(0);
        }
    }

    /** A model directory holding nothing, and a manifest whose GPEN-BFR-256 is the synthetic one on the local server. */
    private ModelFiles emptyModelDirectory() throws Exception {
        return servedBy(MODEL, "enhance", SyntheticModels.gpen256());
    }

    /**
     * A model directory holding nothing, and a manifest whose one model, {@code name} (file NAME.onnx), has
     * {@code model}'s size and hash and is downloaded from the local server (which sends {@link #body}).
     */
    private ModelFiles servedBy(String name, String stage, Path model) throws Exception {
        ModelManifest manifest = ModelManifest.parse("""
                {"version": 1, "models": [
                 {"name": "%s", "file": "%s.onnx", "stage": "%s", "size": %d, "sha256": "%s",
                  "urls": ["http://127.0.0.1:%d%s"], "licence": {"short": "test", "text": "test"}}
                ]}""".formatted(name, name, stage, Files.size(model), Sha256.of(model), server.getAddress().getPort(),
                PATH), "test manifest");
        return new ModelFiles(manifest, new ModelDirectory(dir.resolve("models")));
    }

    /** Detector, recogniser and swapper given, no landmarks: the rest comes from {@code manifestModels}. */
    private static EngineModels swapOnly(ModelFiles manifestModels) {
        return new EngineModels(new EngineModels.Files(SharedData.model("scrfd_2.5g_bnkps.onnx"),
                SyntheticModels.recognizer512(), SyntheticModels.inswapper(), null, Map.of()), OrtConfig.cpu(),
                manifestModels);
    }

    /** Detector, recogniser, swapper and landmarks given (no enhancer): only the enhancer can come from the manifest. */
    private EngineModels models() throws Exception {
        return new EngineModels(new EngineModels.Files(SharedData.model("scrfd_2.5g_bnkps.onnx"),
                SyntheticModels.recognizer512(), SyntheticModels.inswapper(), SyntheticModels.landmarks106(), Map.of()),
                OrtConfig.cpu(), emptyModelDirectory());
    }

    private static String open(TestClient c) throws Exception {
        return type(c.request("{\"type\":\"open_session\",\"id\":1,\"channel\":\"photo\"}"), "session_opened")
                .path("session").asText();
    }

    private static ObjectNode setOptions(TestClient c, String session, String options) throws Exception {
        return type(c.request("{\"type\":\"set_options\",\"id\":2,\"session\":\"" + session + "\",\"options\":"
                + options + "}"), "options_set");
    }

    /** get_stats until {@code until} holds of the reply; fails after a generous deadline. */
    private static ObjectNode statsUntil(TestClient c, String session, Predicate<ObjectNode> until, String what)
            throws Exception {
        long end = System.currentTimeMillis() + DEADLINE_MS;
        ObjectNode r;
        do {
            r = type(c.request("{\"type\":\"get_stats\",\"id\":3,\"session\":\"" + session + "\"}"), "stats");
            if (until.test(r)) {
                return r;
            }
            Thread.sleep(20);
        } while (System.currentTimeMillis() < end);
        throw new AssertionError("no get_stats reply showed " + what + "; the last: " + r);
    }

    private static String warning(JsonNode reply) {
        return reply.path("warnings").path(0).path("message").asText("");
    }

    @Test
    void anEnhancerAskedForIsDownloadedWithProgressThenLoadedAndUsedFromTheNextFrame() throws Exception {
        body.set(gpen);
        try (EngineModels models = models();
                TestEngine engine = new TestEngine(ControlLimits.DEFAULT, 2, TestEngine.COLOUR_FINDER, models.pipelines());
                TestClient c = engine.authenticated()) {
            Photo photo = new Photo();
            String session = open(c);
            engine.sessions.find(session).orElseThrow().update(s -> s.withSourceFace(identity512()));
            InMemoryFrameSource frames = engine.channels.get("photo");

            String wanted = "{\"enhancer\":\"gpen256\",\"enhancer_blend\":1.0,\"detect_every\":1}";
            ObjectNode set = setOptions(c, session, wanted);
            assertTrue(warning(set).startsWith("downloading " + MODEL + ": "), set.toString());
            assertEquals(MODEL, set.at("/downloads/0/model").asText(), set.toString());

            int halfway = (int) ((long) (gpen.length / 2) * 100 / gpen.length); // what the server sends before it waits
            // The warning and the downloads list each read the progress: wait until both show the halfway point.
            ObjectNode half = statsUntil(c, session, r -> r.at("/downloads/0/percent").asInt(-1) == halfway
                    && warning(r).equals("downloading " + MODEL + ": " + halfway + " %"), "the download halfway");
            assertEquals("downloading " + MODEL + ": " + halfway + " %", warning(half));
            setOptions(c, session, wanted); // asked again while it runs: still the one download

            frames.send(photo.frame());
            byte[] beforeLoad = photo.bytes(frames.receive(DEADLINE_MS));

            rest.countDown();
            ObjectNode done = statsUntil(c, session, r -> r.path("warnings").isEmpty(), "the enhancer loaded");
            assertTrue(done.path("downloads").isEmpty(), done.toString());
            assertTrue(Files.isRegularFile(dir.resolve("models/GPEN-BFR-256.onnx")), "verified and put in place");
            assertEquals(1, requests.get(), "one download, however often the options asked for it");
            assertTrue(models.status().get("enhancer_gpen256").loaded());

            frames.send(photo.frame());
            byte[] afterLoad = photo.bytes(frames.receive(DEADLINE_MS));
            // The synthetic enhancer paints the face's colour negative: many pixels change by far more than noise.
            assertTrue(strongDifferences(beforeLoad, afterLoad) > 500,
                    "the session enhanced its next frame without being told anything");
        }
    }

    @Test
    void aDownloadThatFailsIsOneLineWithTheFixTheEngineServesOnAndRetriesOnlyWhenOptionsAreSetAgain() throws Exception {
        try (EngineModels models = models();
                TestEngine engine = new TestEngine(ControlLimits.DEFAULT, 2, TestEngine.COLOUR_FINDER, models.pipelines());
                TestClient c = engine.authenticated()) {
            String session = open(c);
            String wanted = "{\"enhancer\":\"gpen256\"}";
            setOptions(c, session, wanted); // the server answers 404
            ObjectNode failed = statsUntil(c, session, r -> warning(r).contains("is missing"), "the failure");
            String line = warning(failed);
            assertTrue(line.startsWith("faces are not enhanced: " + MODEL + " is missing: it could not be downloaded"), line);
            assertTrue(line.contains("models fetch " + MODEL + "`"), "names the fix: " + line);
            assertFalse(line.contains("\n"), line);
            assertTrue(failed.path("downloads").isEmpty(), failed.toString());
            assertEquals("pong", c.request("{\"type\":\"ping\",\"id\":4}").path("type").asText(), "still serving");

            for (int i = 0; i < 20; i++) { // the session keeps being looked at, as the plugin does
                assertTrue(warning(statsUntil(c, session, r -> true, "a reply")).contains("is missing"));
            }
            assertEquals(1, requests.get(), "no retry until the options are set again");

            body.set("not the model".repeat(100).getBytes()); // now the server answers, with the wrong bytes
            rest.countDown();
            setOptions(c, session, wanted);
            ObjectNode again = statsUntil(c, session, r -> warning(r).contains("is missing") && requests.get() == 2,
                    "the second failure");
            assertTrue(warning(again).contains("models fetch " + MODEL + "`"), warning(again));
            assertFalse(Files.exists(dir.resolve("models/GPEN-BFR-256.onnx")), "wrong bytes are never put in place");
            assertFalse(models.status().get("enhancer_gpen256").loaded());
        }
    }

    /**
     * A swapper a session chooses by name is fetched like an enhancer; the engine's own swaps meanwhile, and the chosen
     * one from the frame after it loaded. (The test manifest's inswapper_128_fp16 is the HyperSwap-shaped synthetic
     * model, so that the change shows in the pixels.)
     */
    @Test
    void aSwapperChosenInTheOptionsIsFetchedAndUsedFromTheNextFrameTheEnginesOwnSwappingMeanwhile() throws Exception {
        body.set(Files.readAllBytes(SyntheticModels.hyperswap()));
        try (EngineModels models = swapOnly(servedBy("inswapper_128_fp16", "swap", SyntheticModels.hyperswap()));
                TestEngine engine = new TestEngine(ControlLimits.DEFAULT, 2, TestEngine.COLOUR_FINDER, models.pipelines());
                TestClient c = engine.authenticated()) {
            Photo photo = new Photo();
            String session = open(c);
            engine.sessions.find(session).orElseThrow().update(s -> s.withSourceFace(identity512()));
            InMemoryFrameSource frames = engine.channels.get("photo");

            ObjectNode set = setOptions(c, session, "{\"swapper\":\"inswapper_128_fp16\",\"detect_every\":1}");
            assertTrue(warning(set).startsWith("downloading inswapper_128_fp16: "), set.toString());
            frames.send(photo.frame());
            byte[] meanwhile = photo.bytes(frames.receive(DEADLINE_MS));
            assertTrue(differences(photo.pixels, meanwhile, 10) > 500, "the engine's own swapper swapped meanwhile");

            rest.countDown();
            statsUntil(c, session, r -> r.path("warnings").isEmpty(), "the chosen swapper loaded");
            assertTrue(models.status().get("swapper_inswapper_128_fp16").loaded());
            frames.send(photo.frame());
            byte[] after = photo.bytes(frames.receive(DEADLINE_MS));
            assertTrue(differences(meanwhile, after, 10) > 500, "the session swapped its next frame with the chosen one");
        }
    }

    /** Turning the occlusion mask on fetches the manifest's xseg_2, which the sessions then use. */
    @Test
    void theOcclusionMaskFetchesItsModelAndUsesItOnceLoaded() throws Exception {
        body.set(Files.readAllBytes(SyntheticModels.occluder()));
        rest.countDown();
        try (EngineModels models = swapOnly(servedBy("xseg_2", "occlude", SyntheticModels.occluder()));
                TestEngine engine = new TestEngine(ControlLimits.DEFAULT, 2, TestEngine.COLOUR_FINDER, models.pipelines());
                TestClient c = engine.authenticated()) {
            assertFalse(models.status().get("occluder").loaded(), "not there at start");
            String session = open(c);
            setOptions(c, session, "{\"occlusion_mask\":true}");
            statsUntil(c, session, r -> r.path("warnings").isEmpty(), "the occlusion model loaded");
            assertTrue(models.status().get("occluder").loaded());
            assertTrue(Files.isRegularFile(dir.resolve("models/xseg_2.onnx")), "verified and put in place");
            assertTrue(models.pipelines().unmet(app.deeplive.engine.pipeline.SwapSettings.DEFAULT.withBlend(
                    app.deeplive.engine.blend.BlendOptions.DEFAULT.withOcclusionMask(true))).isEmpty());
        }
    }

    private static SourceFace identity512() {
        float[] e = new float[512];
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) Math.cos(1.7 + i * 0.1);
        }
        return new SourceFace(new float[] {0, 0, 1, 1}, 1, e);
    }

    private static int strongDifferences(byte[] a, byte[] b) {
        return differences(a, b, 60);
    }

    private static int differences(byte[] a, byte[] b, int above) {
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (Math.abs((a[i] & 0xff) - (b[i] & 0xff)) > above) {
                n++;
            }
        }
        return n;
    }

    /** The shared photo of a face as BGRA frames. */
    private static final class Photo {
        private final byte[] pixels;
        private final int width;
        private final int height;

        Photo() {
            try (Mat bgr = ImageLoader.load(SharedData.photo("obama.jpg"))) {
                width = bgr.cols();
                height = bgr.rows();
                FrameView view = FrameView.wrap(ByteBuffer.allocateDirect(width * height * 4), width, height, width * 4,
                        PixelFormat.BGRA);
                cvtColor(bgr, view.mat(), COLOR_BGR2BGRA);
                pixels = new byte[width * height * 4];
                view.pixels().get(pixels);
                view.close();
            }
        }

        FrameView frame() {
            ByteBuffer b = ByteBuffer.allocateDirect(pixels.length);
            b.put(pixels).clear();
            return FrameView.wrap(b, width, height, width * 4, PixelFormat.BGRA);
        }

        byte[] bytes(FrameView f) {
            assertNotNull(f, "the frame came back");
            byte[] out = new byte[pixels.length];
            f.pixels().get(out);
            return out;
        }
    }
}
