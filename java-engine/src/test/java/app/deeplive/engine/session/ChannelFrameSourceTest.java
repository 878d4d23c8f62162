package app.deeplive.engine.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.channel.FrameResult;
import app.deeplive.engine.channel.ProducerChannel;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A session on the real shared-memory frame channel, with a Java producer playing OBS in this process. */
class ChannelFrameSourceTest {
    private static final int W = 32;
    private static final int H = 16;
    private static final Duration WAIT = Duration.ofSeconds(2);

    private static void send(ProducerChannel producer, int fill) {
        ProducerChannel.Slot slot = producer.begin(WAIT);
        assertNotNull(slot);
        ByteBuffer pixels = slot.pixels();
        for (int i = 0; i < W * 4 * H; i++) {
            pixels.put(i, (byte) fill);
        }
        producer.submit(slot, W, H, W * 4, 0, 0);
    }

    /** The first byte of the next returned frame, and its result. */
    private static Object[] receive(ProducerChannel producer) {
        ProducerChannel.Returned back = producer.receive(WAIT);
        assertNotNull(back, "the engine returned the frame");
        Object[] r = {back.view().pixels().get(0), back.result()};
        producer.release(back);
        return r;
    }

    @Test
    void aSourceFaceChangeReachesTheNextFrameOnTheRealChannel() throws Exception {
        CompletableFuture<String> ended = new CompletableFuture<>();
        try (ProducerChannel producer = ProducerChannel.create(0, W * 4 * H);
                SessionManager manager = new SessionManager(ChannelFrameSource.FACTORY, RecordingPipelines.FACTORY, 2)) {
            Session s = manager.open(producer.name(), FrameLimits.DEFAULT, (x, why) -> ended.complete(why));
            send(producer, 3);
            Object[] r = receive(producer);
            assertEquals((byte) 3, r[0], "no source face: unchanged");
            assertEquals(FrameResult.UNSWAPPED, r[1], "OBS must not show it as a swapped frame");

            s.update(st -> st.withSourceFace(new SourceFace(new float[] {0, 0, 1, 1}, 1, new float[] {0.25f})));
            send(producer, 3);
            assertEquals((byte) 25, receive(producer)[0], "the next frame used the new face, in shared memory");
            assertEquals(2, s.stats().frames());
            assertEquals(0, s.droppedFrames(), "one frame at a time: none replaced at the pipeline's entry");
            producer.close(); // OBS removed the filter
            assertTrue(ended.get(3, TimeUnit.SECONDS).startsWith("frame channel closed"), ended.get());
        }
    }

    @Test
    void framesOverTheSessionLimitGoBackUnswapped() {
        try (ProducerChannel producer = ProducerChannel.create(0, W * 4 * H);
                SessionManager manager = new SessionManager(ChannelFrameSource.FACTORY, RecordingPipelines.FACTORY, 2)) {
            Session s = manager.open(producer.name(), new FrameLimits(16, 16), (x, why) -> {});
            s.update(st -> st.withSourceFace(new SourceFace(new float[] {0, 0, 1, 1}, 1, new float[] {0.5f})));
            send(producer, 9);
            Object[] r = receive(producer);
            assertEquals((byte) 9, r[0]);
            assertEquals(FrameResult.UNSWAPPED, r[1], "untouched, the real face in it");
        }
    }

    @Test
    void aChannelThatDoesNotExistIsNotFound() {
        try (SessionManager manager = new SessionManager(ChannelFrameSource.FACTORY, RecordingPipelines.FACTORY, 2)) {
            RequestRejected e = assertThrows(RequestRejected.class,
                    () -> manager.open("/dlf-1-0000000000000000", FrameLimits.DEFAULT, (x, why) -> {}));
            assertEquals(RequestRejected.Reason.NOT_FOUND, e.reason());
            assertEquals(0, manager.openCount());
        }
    }
}
