package app.deeplive.engine.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.image.FrameView;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Java binding over the native channel, with both ends in this process. */
class FrameChannelTest {
    private static final int W = 64;
    private static final int H = 32;
    private static final int STRIDE = W * 4;
    private static final Duration WAIT = Duration.ofSeconds(2);

    /** Writes a pattern derived from {@code seed} into a begun slot and submits it. */
    static long sendPattern(ProducerChannel producer, int seed) {
        ProducerChannel.Slot slot = producer.begin(Duration.ZERO);
        assertNotNull(slot, "a free slot");
        ByteBuffer pixels = slot.pixels();
        for (int i = 0; i < STRIDE * H; i++) {
            pixels.put(i, (byte) (i * 7 + seed * 31));
        }
        try (FrameView view = FrameView.wrap(pixels, W, H, STRIDE, app.deeplive.engine.image.PixelFormat.BGRA)) {
            return producer.submit(slot, W, H, STRIDE, 1000L + seed, FrameChecksum.of(view));
        }
    }

    @Test
    void aFrameIsProcessedInPlaceAndComesBackToTheProducer() {
        try (ProducerChannel producer = ProducerChannel.create(0, STRIDE * H);
                FrameChannel consumer = FrameChannel.attach(producer.name())) {
            assertTrue(producer.hasConsumer());
            long sequence = sendPattern(producer, 5);
            long[] seenChecksum = new long[1];
            boolean processed = consumer.processNext(frame -> {
                assertEquals(W, frame.width());
                assertEquals(H, frame.height());
                assertEquals(STRIDE, frame.stride());
                assertTrue(frame.pixels().isDirect());
                seenChecksum[0] = FrameChecksum.of(frame);
                frame.pixels().put(0, (byte) 0x5a); // in place: the producer must see this byte
                return FrameResult.PROCESSED;
            }, WAIT);
            assertTrue(processed);

            ProducerChannel.Returned back = producer.receive(WAIT);
            assertNotNull(back);
            assertEquals(sequence, back.sequence());
            assertEquals(1005L, back.timestampNanos());
            assertEquals(FrameResult.PROCESSED, back.result());
            assertEquals((byte) 0x5a, back.view().pixels().get(0));
            assertNotEquals(seenChecksum[0], FrameChecksum.of(back.view()));
            producer.release(back);
            ChannelStats stats = producer.stats();
            assertEquals(1, stats.submitted());
            assertEquals(1, stats.received());
            assertEquals(1, consumer.stats().processed());
        }
    }

    @Test
    void theInputChecksumMatchesWhatTheConsumerSees() {
        try (ProducerChannel producer = ProducerChannel.create(0, STRIDE * H);
                FrameChannel consumer = FrameChannel.attach(producer.name()).declareChecksums(true)) {
            sendPattern(producer, 9);
            consumer.processNext(frame -> FrameResult.UNCHANGED, WAIT);
            ProducerChannel.Returned back = producer.receive(WAIT);
            assertEquals(FrameResult.UNCHANGED, back.result());
            assertEquals(FrameChecksum.of(back.view()), back.checksum(), "declared checksum of the output");
            producer.release(back);
        }
    }

    @Test
    void aFailingProcessorMarksTheFrameFailedAndTheChannelGoesOn() {
        try (ProducerChannel producer = ProducerChannel.create(0, STRIDE * H);
                FrameChannel consumer = FrameChannel.attach(producer.name())) {
            sendPattern(producer, 1);
            assertTrue(consumer.processNext(frame -> {
                throw new IllegalStateException("model crashed");
            }, WAIT));
            ProducerChannel.Returned back = producer.receive(WAIT);
            assertEquals(FrameResult.FAILED, back.result());
            producer.release(back);
            sendPattern(producer, 2);
            assertTrue(consumer.processNext(frame -> FrameResult.PROCESSED, WAIT));
        }
    }

    @Test
    void waitingForAFrameEndsAtTheTimeout() {
        try (ProducerChannel producer = ProducerChannel.create(0, STRIDE * H);
                FrameChannel consumer = FrameChannel.attach(producer.name())) {
            assertFalse(consumer.processNext(frame -> FrameResult.PROCESSED, Duration.ofMillis(30)));
            assertNull(producer.receive(Duration.ofMillis(30)));
        }
    }

    @Test
    void aClosedProducerEndsTheChannel() {
        ProducerChannel producer = ProducerChannel.create(0, STRIDE * H);
        try (FrameChannel consumer = FrameChannel.attach(producer.name())) {
            producer.close();
            ChannelException e = assertThrows(ChannelException.class,
                    () -> consumer.processNext(frame -> FrameResult.PROCESSED, WAIT));
            assertEquals(ChannelStatus.PEER_GONE, e.status());
            assertTrue(e.status().endsChannel());
        }
    }

    @Test
    void badNamesAreOneLineErrorsThatSayWhatToDo() {
        ChannelException invalid = assertThrows(ChannelException.class, () -> FrameChannel.attach("/etc/passwd"));
        assertEquals(ChannelStatus.BAD_CHANNEL, invalid.status());
        assertTrue(invalid.getMessage().contains("exact name the producer printed"), invalid.getMessage());
        ChannelException missing =
                assertThrows(ChannelException.class, () -> FrameChannel.attach("/dlf-1-0123456789abcdef"));
        assertEquals(ChannelStatus.NOT_FOUND, missing.status());
        assertFalse(missing.getMessage().contains("\n"));
    }

    @Test
    void aSecondEngineCannotAttachWhileTheFirstIsAlive() {
        try (ProducerChannel producer = ProducerChannel.create(0, STRIDE * H);
                FrameChannel first = FrameChannel.attach(producer.name())) {
            ChannelException e = assertThrows(ChannelException.class, () -> FrameChannel.attach(producer.name()));
            assertEquals(ChannelStatus.BUSY, e.status());
        }
    }

    @Test
    void creatingAChannelTooLargeIsRefused() {
        ChannelException e = assertThrows(ChannelException.class, () -> ProducerChannel.create(0, 1L << 40));
        assertEquals(ChannelStatus.INVALID_ARGUMENT, e.status());
    }
}
