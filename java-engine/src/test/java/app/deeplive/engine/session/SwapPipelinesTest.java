package app.deeplive.engine.session;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2BGRA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.channel.FrameResult;
import app.deeplive.engine.channel.ProducerChannel;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.image.ImageLoader;
import app.deeplive.engine.image.PixelFormat;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.blend.BlendOptions;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.pipeline.SwapModels;
import app.deeplive.engine.pipeline.SwapSettings;
import app.deeplive.engine.swap.FaceSwapper;
import app.deeplive.engine.testing.SharedData;
import app.deeplive.engine.testing.SyntheticModels;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sessions running the real swap pipeline (real SCRFD, synthetic inswapper) on a real photo as their frames:
 * nothing changes until a source face is set, the face region changes from the next frame, pixels outside it never
 * change, and an option change (opacity 0) applies from the next frame.
 */
class SwapPipelinesTest {
    private static final int SLOTS = 5;
    private static SwapModels models; // pipelines' (closed with them)
    private static SwapPipelines pipelines;
    private static byte[] original;
    private static int width;
    private static int height;
    private static float[] faceBox;

    /** Detection on every frame, the swapped face not shown at all. */
    private static final SwapSettings OPACITY_ZERO =
            SwapSettings.DEFAULT.withDetectEveryK(1).withBlend(BlendOptions.DEFAULT.withOpacity(0));

    @BeforeAll
    static void load() {
        OrtConfig cpu = OrtConfig.cpu();
        ScrfdDetector detector = ScrfdDetector.open(SharedData.model("scrfd_2.5g_bnkps.onnx"), cpu, DetectorSettings.defaults());
        try (Mat bgr = ImageLoader.load(SharedData.photo("obama.jpg")); FrameView frame = bgraCopy(bgr)) {
            width = frame.width();
            height = frame.height();
            original = new byte[width * height * 4];
            frame.pixels().get(original);
            var box = detector.detect(bgr).get(0).box();
            faceBox = new float[] {box.x1(), box.y1(), box.x2(), box.y2()};
        }
        models = new SwapModels(detector, FaceSwapper.open(SyntheticModels.inswapper(), cpu), null, null, Map.of());
        pipelines = new SwapPipelines(models, "face swap (test)");
    }

    @AfterAll
    static void close() {
        if (pipelines != null) {
            pipelines.close();
        }
    }

    private static FrameView bgraCopy(Mat bgr) {
        FrameView view = FrameView.wrap(ByteBuffer.allocateDirect(bgr.cols() * bgr.rows() * 4), bgr.cols(), bgr.rows(),
                bgr.cols() * 4, PixelFormat.BGRA);
        cvtColor(bgr, view.mat(), COLOR_BGR2BGRA);
        return view;
    }

    private static FrameView photoFrame() {
        ByteBuffer pixels = ByteBuffer.allocateDirect(original.length);
        pixels.put(original).clear();
        return FrameView.wrap(pixels, width, height, width * 4, PixelFormat.BGRA);
    }

    private static byte[] bytes(FrameView f) {
        byte[] b = new byte[original.length];
        f.pixels().get(b);
        return b;
    }

    private static SourceFace identity(int seed, int size) {
        float[] e = new float[size];
        for (int i = 0; i < size; i++) {
            e[i] = (float) Math.cos(seed * 1.7 + i * 0.05 * (seed + 1));
        }
        return new SourceFace(new float[] {0, 0, 1, 1}, 1, e);
    }

    /** Whether any pixel changed inside the (slightly grown) face box, and none outside it. */
    private static boolean changedOnlyInsideTheFace(byte[] out) {
        float margin = (faceBox[2] - faceBox[0]) * 0.5f;
        boolean inside = false;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 4;
                boolean differs = out[i] != original[i] || out[i + 1] != original[i + 1] || out[i + 2] != original[i + 2]
                        || out[i + 3] != original[i + 3];
                boolean inBox = x >= faceBox[0] - margin && x <= faceBox[2] + margin && y >= faceBox[1] - margin
                        && y <= faceBox[3] + margin;
                if (differs && !inBox) {
                    throw new AssertionError("pixel " + x + "," + y + " outside the face changed");
                }
                inside |= differs;
            }
        }
        return inside;
    }

    @Test
    void theSwapFollowsTheSessionsSettingsFromFrameToFrame() throws Exception {
        InMemoryFrameSource source = new InMemoryFrameSource();
        try (SessionManager manager = new SessionManager((name, limits) -> source, pipelines, 2)) {
            Session s = manager.open("photo", FrameLimits.DEFAULT, (x, why) -> {});

            source.send(photoFrame());
            assertArrayEquals(original, bytes(source.receive(5000)), "no source face: the frame is unchanged");
            assertEquals(FrameResult.UNSWAPPED, source.outcomes.take(), "its face is the real one");

            s.checkIdentity(identity(1, 512).identity());
            s.update(st -> st.withSourceFace(identity(1, 512)));
            source.send(photoFrame());
            assertTrue(changedOnlyInsideTheFace(bytes(source.receive(5000))), "the face was swapped on the next frame");
            assertEquals(FrameResult.PROCESSED, source.outcomes.take());

            s.update(st -> st.withOptions(OPACITY_ZERO));
            source.send(photoFrame());
            assertArrayEquals(original, bytes(source.receive(5000)), "opacity 0 from the next frame: unchanged");

            assertEquals(3, s.stats().frames());
            assertTrue(s.stats().stages().containsKey("detect"), s.stats().toString());
            assertTrue(s.stats().stages().containsKey("swap"), s.stats().toString());
            // The detector runs beside the analysis stage: a frame followed by tracking alone detects nothing.
            assertTrue(s.stats().stages().get("detect").meanMicros() > 0, s.stats().toString());
        }
    }

    /** Sends the photo through the channel and returns what came back; {@code expected} is the frame's result. */
    private static byte[] exchange(ProducerChannel producer, FrameResult expected) {
        ProducerChannel.Slot slot = producer.begin(Duration.ofSeconds(5));
        assertNotNull(slot, "a free slot");
        slot.pixels().put(0, original);
        producer.submit(slot, width, height, width * 4, System.nanoTime(), 0);
        ProducerChannel.Returned back = producer.receive(Duration.ofSeconds(20));
        assertNotNull(back, "the engine returned the frame");
        assertEquals(expected, back.result());
        byte[] out = new byte[original.length];
        back.view().pixels().get(out);
        producer.release(back);
        return out;
    }

    @Test
    void optionsTheLoadedModelsCannotHonourAreNamedWithTheirFix() {
        // These pipelines have no enhancer and no mouth landmarks loaded.
        assertEquals(java.util.List.of(), pipelines.unmet(SwapSettings.DEFAULT));
        SwapSettings gfpganAndMouth = SwapSettings.DEFAULT.withEnhancer(EnhancerKind.GFPGAN)
                .withBlend(BlendOptions.DEFAULT.withMouthMask(50));
        java.util.List<String> unmet = pipelines.unmet(gfpganAndMouth);
        assertEquals(2, unmet.size(), unmet.toString());
        assertTrue(unmet.get(0).startsWith("GFPGANv1.4 is not loaded") && unmet.get(0).contains("models fetch GFPGANv1.4"),
                unmet.get(0));
        assertTrue(unmet.get(1).contains("mouth mask needs 2d106det") && unmet.get(1).contains("models fetch 2d106det"),
                unmet.get(1));
        // No occlusion model was given: the option is accepted, and the line says what happens and how to fix it.
        java.util.List<String> occlusion = pipelines.unmet(
                SwapSettings.DEFAULT.withBlend(BlendOptions.DEFAULT.withOcclusionMask(true)));
        assertEquals(1, occlusion.size(), occlusion.toString());
        assertTrue(occlusion.get(0).startsWith("the occlusion mask needs an XSeg model, which is not loaded")
                && occlusion.get(0).contains("models fetch xseg_2") && occlusion.get(0).contains("serve --occluder FILE"),
                occlusion.get(0));
    }

    /**
     * A swapper the session chose that is not loaded: faces are swapped with the engine's own meanwhile, and the line
     * says how to get it; one whose licence forbids its use says so instead, and nothing is fetched.
     */
    @Test
    void aChosenSwapperThatIsNotLoadedOrIsRefusedIsNamedWithWhatHappensMeanwhile() {
        java.util.List<String> missing = pipelines.unmet(SwapSettings.DEFAULT.withSwapper("inswapper_128_fp16"));
        assertEquals(java.util.List.of("inswapper_128_fp16 is not loaded, so faces are swapped with the engine's own "
                + "swapper: get it with `" + app.deeplive.engine.EngineCommand.line("models fetch inswapper_128_fp16")
                + "` and choose it again"), missing);

        java.util.List<String> requested = new java.util.ArrayList<>();
        ModelsOnDemand manifestRules = new ModelsOnDemand() {
            @Override
            public void request(String modelName) {
                requested.add(modelName);
            }

            @Override
            public java.util.Optional<app.deeplive.engine.models.FetchState> state(String modelName) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<String> refusal(String modelName) {
                return app.deeplive.engine.models.ModelFiles.manifest().find(modelName)
                        .map(app.deeplive.engine.models.ModelEntry::refusal);
            }
        };
        SwapPipelines refusing = new SwapPipelines(models, "face swap (test)", manifestRules); // not closed: pipelines own them
        SwapSettings hyperswap = SwapSettings.DEFAULT.withSwapper("hyperswap_1a_256");
        refusing.request(hyperswap);
        assertEquals(java.util.List.of(), requested, "a refused model is never fetched");
        java.util.List<String> refused = refusing.unmet(hyperswap);
        assertEquals(1, refused.size(), refused.toString());
        assertTrue(refused.get(0).startsWith("hyperswap_1a_256 is refused: its licence (ResearchRAIL-MS")
                && refused.get(0).endsWith("; faces are swapped with the engine's own swapper instead"), refused.get(0));
        refusing.request(SwapSettings.DEFAULT.withSwapper("inswapper_128_fp16"));
        assertEquals(java.util.List.of("inswapper_128_fp16"), requested, "one that may be used is fetched");
    }

    @Test
    void onTheFrameChannelTheStepsRunStagedFollowTheSettingsAndHandEveryFrameBackAtClose() throws Exception {
        try (ProducerChannel producer = ProducerChannel.create(SLOTS, original.length);
                SessionManager manager = new SessionManager(ChannelFrameSource.FACTORY, pipelines, 2)) {
            Session s = manager.open(producer.name(), new FrameLimits(width, height), (x, why) -> {});
            assertArrayEquals(original, exchange(producer, FrameResult.UNSWAPPED), "no source face: unchanged, marked so");

            s.update(st -> st.withSourceFace(identity(1, 512)));
            assertTrue(changedOnlyInsideTheFace(exchange(producer, FrameResult.PROCESSED)), "swapped from the next frame");

            s.update(st -> st.withOptions(OPACITY_ZERO));
            assertArrayEquals(original, exchange(producer, FrameResult.PROCESSED), "opacity 0 from the next frame");

            assertEquals(3, s.stats().frames());
            assertTrue(s.stats().stages().containsKey("swap") && s.stats().stages().containsKey("total"),
                    s.stats().toString());
            assertEquals(0, s.droppedFrames(), "one frame at a time: none replaced at the entry");
            // The last stage hands a frame back before it counts it out: give that bookkeeping a moment.
            for (long until = System.nanoTime() + 1_000_000_000L; s.queueDepth() != 0 && System.nanoTime() < until; ) {
                Thread.onSpinWait();
            }
            assertEquals(0, s.queueDepth(), "nothing inside between frames");

            // Over the session's limits: handed back untouched and counted, the stream goes on.
            ProducerChannel.Slot big = producer.begin(Duration.ofSeconds(5));
            producer.submit(big, width + 1, height - 2, (width + 1) * 4, System.nanoTime(), 0); // fits the slot, wider
            ProducerChannel.Returned refused = producer.receive(Duration.ofSeconds(20));
            assertNotNull(refused);
            assertEquals(FrameResult.UNSWAPPED, refused.result(), "its faces, if any, are the real ones");
            producer.release(refused);
            assertEquals(1, s.stats().rejected());

            // Closing with frames in flight (every slot filled) hands each one the engine took back.
            for (int i = 0; i < SLOTS; i++) {
                ProducerChannel.Slot slot = producer.begin(Duration.ofSeconds(5));
                slot.pixels().put(0, original);
                producer.submit(slot, width, height, width * 4, System.nanoTime(), 0);
            }
            s.close();
            int back = 0;
            ProducerChannel.Returned r;
            while ((r = producer.receive(Duration.ofSeconds(2))) != null) {
                producer.release(r);
                back++;
            }
            for (int i = 0; i < SLOTS; i++) { // a slot still lent to the engine could not be had again
                assertNotNull(producer.begin(Duration.ofSeconds(1)), "slot " + i + " after close (" + back
                        + " frames came back)");
            }
        }
    }

    @Test
    void anIdentityOfTheWrongSizeIsRefusedBeforeItReachesAFrame() {
        RequestRejected e = assertThrows(RequestRejected.class, () -> pipelines.checkIdentity(identity(2, 128).identity()));
        assertTrue(e.getMessage().contains("512"), e.getMessage());
    }
}
