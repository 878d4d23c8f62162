package app.deeplive.engine.session;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2BGRA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.analysis.detect.DetectorSettings;
import app.deeplive.engine.analysis.detect.ScrfdDetector;
import app.deeplive.engine.analysis.recognize.ArcFaceRecognizer;
import app.deeplive.engine.blend.MouthLandmarks;
import app.deeplive.engine.channel.FrameResult;
import app.deeplive.engine.channel.ProducerChannel;
import app.deeplive.engine.enhance.EnhancerKind;
import app.deeplive.engine.enhance.FaceEnhancer;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.image.ImageLoader;
import app.deeplive.engine.image.PixelFormat;
import app.deeplive.engine.onnx.LoadedModel;
import app.deeplive.engine.onnx.OrtConfig;
import app.deeplive.engine.blend.BlendOptions;
import app.deeplive.engine.pipeline.SwapModels;
import app.deeplive.engine.pipeline.SwapSettings;
import app.deeplive.engine.swap.FaceSwapper;
import app.deeplive.engine.testing.SharedData;
import app.deeplive.engine.testing.SyntheticModels;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every session runs the engine's loaded models through wrappers of its own: a session swaps on after the engine
 * closed every one of its original wrappers (so it never used, nor waited for, them), the session's wrappers keep
 * the loaded models open meanwhile, and close with the session, so that no loaded model is left open.
 */
class SessionModelWrappersTest {
    private static final int SLOTS = 3;
    private static byte[] original;
    private static int width;
    private static int height;

    @BeforeAll
    static void photo() {
        try (Mat bgr = ImageLoader.load(SharedData.photo("obama.jpg")); Mat bgra = new Mat()) {
            cvtColor(bgr, bgra, COLOR_BGR2BGRA);
            width = bgra.cols();
            height = bgra.rows();
            original = new byte[width * height * 4];
            bgra.data().get(original);
        }
    }

    private static SwapModels load() {
        OrtConfig cpu = OrtConfig.cpu();
        return new SwapModels(
                ScrfdDetector.open(SharedData.model("scrfd_2.5g_bnkps.onnx"), cpu, DetectorSettings.defaults()),
                FaceSwapper.open(SyntheticModels.inswapper(), cpu),
                ArcFaceRecognizer.open(SyntheticModels.recognizer512(), cpu),
                MouthLandmarks.open(SyntheticModels.landmarks106(), cpu),
                Map.of(EnhancerKind.GPEN256, FaceEnhancer.open(SyntheticModels.gpen256(), cpu)));
    }

    private static List<LoadedModel> loaded(SwapModels m) {
        return List.of(m.detector().model(), m.swapper().model(), m.recognizer().model(), m.landmarks().model(),
                m.enhancer(EnhancerKind.GPEN256).model());
    }

    private static SourceFace identity() {
        float[] e = new float[512];
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) Math.cos(1.7 + i * 0.05);
        }
        return new SourceFace(new float[] {0, 0, 1, 1}, 1, e);
    }

    private static SwapSettings enhancedWithMouthMask() {
        return SwapSettings.DEFAULT.withEnhancer(EnhancerKind.GPEN256, 0.7).withDetectEveryK(1)
                .withBlend(BlendOptions.DEFAULT.withMouthMask(50).withSharpness(0.5));
    }

    private static FrameView photoFrame() {
        ByteBuffer pixels = ByteBuffer.allocateDirect(original.length);
        pixels.put(original).clear();
        return FrameView.wrap(pixels, width, height, width * 4, PixelFormat.BGRA);
    }

    private static boolean swapped(FrameView f) {
        byte[] b = new byte[original.length];
        f.pixels().get(b);
        return !Arrays.equals(original, b);
    }

    private static boolean swappedThroughTheChannel(ProducerChannel producer) {
        ProducerChannel.Slot slot = producer.begin(Duration.ofSeconds(5));
        assertNotNull(slot, "a free slot");
        slot.pixels().put(0, original);
        producer.submit(slot, width, height, width * 4, System.nanoTime(), 0);
        ProducerChannel.Returned back = producer.receive(Duration.ofSeconds(30));
        assertNotNull(back, "the session returned the frame");
        assertEquals(FrameResult.PROCESSED, back.result());
        boolean changed = swapped(back.view());
        producer.release(back);
        return changed;
    }

    @Test
    void aSessionsWrappersKeepTheLoadedModelsOpenUntilTheSessionCloses() throws Exception {
        SwapModels originals = load();
        List<LoadedModel> models = loaded(originals);
        InMemoryFrameSource memory = new InMemoryFrameSource();
        SwapPipelines pipelines = new SwapPipelines(originals, "face swap (test)");
        try (ProducerChannel producer = ProducerChannel.create(SLOTS, original.length);
                SessionManager inMemory = new SessionManager((name, limits) -> memory, pipelines, 1);
                SessionManager onChannel = new SessionManager(ChannelFrameSource.FACTORY, pipelines, 1)) {
            Session a = inMemory.open("memory", FrameLimits.DEFAULT, (x, why) -> {});
            Session b = onChannel.open(producer.name(), new FrameLimits(width, height), (x, why) -> {});
            for (Session s : List.of(a, b)) {
                s.update(st -> st.withSourceFace(identity()).withOptions(enhancedWithMouthMask()));
            }
            memory.send(photoFrame());
            assertTrue(swapped(memory.receive(30_000)));
            assertTrue(swappedThroughTheChannel(producer));

            pipelines.close(); // the engine lets go of its originals first, as when a session outlives shutdown
            models.forEach(m -> assertTrue(m.isOpen(), m + " is still in use by the sessions"));
            memory.send(photoFrame());
            FrameView back = memory.receive(30_000);
            assertNotNull(back);
            assertTrue(swapped(back), "the in-memory session swaps on over its own wrappers");
            assertTrue(swappedThroughTheChannel(producer), "so does the one on the channel");

            inMemory.close();
            models.forEach(m -> assertTrue(m.isOpen(), m + " is still in use by the session on the channel"));
        }
        // Both sessions closed their wrappers: had one been left open, its handle would keep its model open.
        models.forEach(m -> assertFalse(m.isOpen(), m + " closed with a session's wrapper, the last over it"));
    }
}
