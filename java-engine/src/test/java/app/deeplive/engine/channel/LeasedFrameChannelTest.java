package app.deeplive.engine.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.image.PixelFormat;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Java binding over the native channel that sessions use, with both ends in this process. */
public class LeasedFrameChannelTest {
    private static final int W = 64;
    private static final int H = 32;
    private static final int STRIDE = W * 4;
    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final long WAIT_NANOS = WAIT.toNanos();

    /** Writes a 64×32 pattern derived from {@code seed} into a begun slot and submits it. */
    public static long sendPattern(ProducerChannel producer, int seed) {
        ProducerChannel.Slot slot = producer.begin(Duration.ZERO);
        assertNotNull(slot, "a free slot");
        ByteBuffer pixels = slot.pixels();
        for (int i = 0; i < STRIDE * H; i++) {
            pixels.put(i, (byte) (i * 7 + seed * 31));
        }
        try (FrameView view = FrameView.wrap(pixels, W, H, STRIDE, PixelFormat.BGRA)) {
            return producer.submit(slot, W, H, STRIDE, 1000L + seed, FrameChecksum.of(view));
        }
    }

    @Test
    void aFrameIsLentInPlaceAndComesBackToTheProducer() {
        try (ProducerChannel producer = ProducerChannel.create(0, STRIDE * H);
                LeasedFrameChannel consumer = LeasedFrameChannel.attach(producer.name())) {
            assertTrue(producer.hasConsumer());
            long sequence = sendPattern(producer, 5);
            int slot = consumer.acquire(WAIT_NANOS);
            assertTrue(slot >= 0, "a frame was lent");
            FrameView frame = consumer.view(slot);
            assertEquals(W, frame.width());
            assertEquals(H, frame.height());
            assertEquals(STRIDE, frame.stride());
            assertTrue(consumer.pixels(slot).isDirect());
            assertEquals(sequence, consumer.sequence(slot));
            long seenChecksum = FrameChecksum.of(frame);
            consumer.pixels(slot).put(0, (byte) 0x5a); // in place: the producer must see this byte
            consumer.complete(slot, FrameResult.PROCESSED);

            ProducerChannel.Returned back = producer.receive(WAIT);
            assertNotNull(back);
            assertEquals(sequence, back.sequence());
            assertEquals(1005L, back.timestampNanos());
            assertEquals(FrameResult.PROCESSED, back.result());
            assertEquals((byte) 0x5a, back.view().pixels().get(0));
            assertNotEquals(seenChecksum, FrameChecksum.of(back.view()));
            producer.release(back);
            ChannelStats stats = producer.stats();
            assertEquals(1, stats.submitted());
            assertEquals(1, stats.received());
            assertEquals(1, consumer.stats().processed());
        }
    }

    @Test
    void aDeclaredChecksumMatchesWhatTheProducerReceives() {
        try (ProducerChannel producer = ProducerChannel.create(0, STRIDE * H);
                LeasedFrameChannel consumer = LeasedFrameChannel.attach(producer.name()).declareChecksums(true)) {
            sendPattern(producer, 9);
            int slot = consumer.acquire(WAIT_NANOS);
            consumer.complete(slot, FrameResult.UNSWAPPED);
            ProducerChannel.Returned back = producer.receive(WAIT);
            assertEquals(FrameResult.UNSWAPPED, back.result());
            assertEquals(FrameChecksum.of(back.view()), back.checksum(), "declared checksum of the output");
            producer.release(back);
        }
    }

    @Test
    void waitingForAFrameEndsAtTheTimeout() {
        try (ProducerChannel producer = ProducerChannel.create(0, STRIDE * H);
                LeasedFrameChannel consumer = LeasedFrameChannel.attach(producer.name())) {
            assertEquals(-1, consumer.acquire(TimeUnit.MILLISECONDS.toNanos(30)));
            assertNull(producer.receive(Duration.ofMillis(30)));
        }
    }

    @Test
    void aClosedProducerEndsTheChannel() {
        ProducerChannel producer = ProducerChannel.create(0, STRIDE * H);
        try (LeasedFrameChannel consumer = LeasedFrameChannel.attach(producer.name())) {
            producer.close();
            ChannelException e = assertThrows(ChannelException.class, () -> consumer.acquire(WAIT_NANOS));
            assertEquals(ChannelStatus.PEER_GONE, e.status());
            assertTrue(e.status().endsChannel());
        }
    }

    @Test
    void badNamesAreOneLineErrorsThatSayWhatToDo() {
        ChannelException invalid =
                assertThrows(ChannelException.class, () -> LeasedFrameChannel.attach("/etc/passwd"));
        assertEquals(ChannelStatus.BAD_CHANNEL, invalid.status());
        assertTrue(invalid.getMessage().contains("exact name the producer printed"), invalid.getMessage());
        ChannelException missing =
                assertThrows(ChannelException.class, () -> LeasedFrameChannel.attach("/dlf-1-0123456789abcdef"));
        assertEquals(ChannelStatus.NOT_FOUND, missing.status());
        assertFalse(missing.getMessage().contains("\n"));
    }

    @Test
    void aSecondEngineCannotAttachWhileTheFirstIsAlive() {
        try (ProducerChannel producer = ProducerChannel.create(0, STRIDE * H);
                LeasedFrameChannel first = LeasedFrameChannel.attach(producer.name())) {
            ChannelException e =
                    assertThrows(ChannelException.class, () -> LeasedFrameChannel.attach(producer.name()));
            assertEquals(ChannelStatus.BUSY, e.status());
        }
    }

    @Test
    void creatingAChannelTooLargeIsRefused() {
        ChannelException e = assertThrows(ChannelException.class, () -> ProducerChannel.create(0, 1L << 40));
        assertEquals(ChannelStatus.INVALID_ARGUMENT, e.status());
    }
}
