package app.deeplive.engine.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.channel.ChannelStatus;
import app.deeplive.engine.channel.FrameResult;
import app.deeplive.engine.channel.LeasedFrameChannelTest;
import app.deeplive.engine.channel.ProducerChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Staged pipelines serve several channels at once, each on threads of its own, and end when their producer does. */
class SeveralChannelsTest {
    private static final int FRAMES = 40;

    @Test
    void severalChannelsAreServedAtOnceEachOnThreadsOfItsOwn() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<ProducerChannel> producers = new ArrayList<>();
        List<ServedChannel> served = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                ProducerChannel producer = ProducerChannel.create(0, 64 * 32 * 4);
                producers.add(producer);
                served.add(ServedChannel.attach(producer.name(), StageSpec.writing("touch", frame -> {
                    threads.add(Thread.currentThread().getName());
                })));
            }
            for (int n = 0; n < FRAMES; n++) {
                for (ProducerChannel producer : producers) {
                    LeasedFrameChannelTest.sendPattern(producer, n);
                }
                for (ProducerChannel producer : producers) {
                    ProducerChannel.Returned back = producer.receive(Duration.ofSeconds(5));
                    assertNotNull(back, "frame " + n + " came back");
                    assertEquals(FrameResult.PROCESSED, back.result());
                    producer.release(back);
                }
            }
            assertEquals(3, threads.size(), "one stage thread per channel: " + threads);
            for (ProducerChannel producer : producers) {
                producer.close();
            }
            for (ServedChannel channel : served) {
                assertTrue(channel.awaitEnd(Duration.ofSeconds(5)), "the pipeline ends when its producer closes");
                assertFalse(channel.pipeline().isRunning());
                assertEquals(ChannelStatus.PEER_GONE, channel.endStatus());
                assertEquals(FRAMES, channel.stats().processed());
            }
        } finally {
            served.forEach(ServedChannel::close);
            producers.forEach(ProducerChannel::close);
        }
    }

    @Test
    void closingAServedChannelReleasesItForAnotherEngine() throws Exception {
        try (ProducerChannel producer = ProducerChannel.create(0, 64 * 32 * 4)) {
            ServedChannel first = ServedChannel.attach(producer.name(), Passthrough.stage());
            first.close();
            assertTrue(first.pipeline().stopped());
            assertFalse(producer.hasConsumer());
            try (ServedChannel next = ServedChannel.attach(producer.name(), Passthrough.stage())) {
                assertTrue(producer.hasConsumer());
                LeasedFrameChannelTest.sendPattern(producer, 1);
                ProducerChannel.Returned back = producer.receive(Duration.ofSeconds(5));
                assertNotNull(back);
                assertEquals(FrameResult.UNSWAPPED, back.result());
            }
        }
    }
}
