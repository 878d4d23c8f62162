package app.deeplive.engine.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Workers serve channels on their own threads, several at once, and end when their producer does. */
class FrameChannelWorkerTest {
    private static final int FRAMES = 40;

    @Test
    void severalChannelsAreServedAtOnceEachOnItsOwnThread() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<ChannelStatus> ends = new CopyOnWriteArrayList<>();
        List<ProducerChannel> producers = new ArrayList<>();
        List<FrameChannelWorker> workers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                ProducerChannel producer = ProducerChannel.create(0, 64 * 32 * 4);
                producers.add(producer);
                workers.add(FrameChannelWorker.start(FrameChannel.attach(producer.name()), frame -> {
                    threads.add(Thread.currentThread().getName());
                    return FrameResult.PROCESSED;
                }, ends::add));
            }
            for (int n = 0; n < FRAMES; n++) {
                for (ProducerChannel producer : producers) {
                    FrameChannelTest.sendPattern(producer, n);
                }
                for (ProducerChannel producer : producers) {
                    ProducerChannel.Returned back = producer.receive(Duration.ofSeconds(5));
                    assertNotNull(back, "frame " + n + " came back");
                    assertEquals(FrameResult.PROCESSED, back.result());
                    producer.release(back);
                }
            }
            assertEquals(3, threads.size(), "one thread per channel: " + threads);
            for (ProducerChannel producer : producers) {
                producer.close();
            }
            for (FrameChannelWorker worker : workers) {
                assertTrue(worker.awaitEnd(Duration.ofSeconds(5)), "worker ends when its producer closes");
                assertFalse(worker.isRunning());
                assertEquals(ChannelStatus.PEER_GONE, worker.endStatus());
                assertEquals(FRAMES, worker.stats().processed());
            }
            assertEquals(List.of(ChannelStatus.PEER_GONE, ChannelStatus.PEER_GONE, ChannelStatus.PEER_GONE), ends);
        } finally {
            workers.forEach(FrameChannelWorker::close);
            producers.forEach(ProducerChannel::close);
        }
    }

    @Test
    void closingAWorkerReleasesTheChannelForAnotherEngine() throws Exception {
        try (ProducerChannel producer = ProducerChannel.create(0, 64 * 32 * 4)) {
            FrameChannelWorker worker = FrameChannelWorker.start(producer.name(), frame -> FrameResult.PROCESSED);
            worker.close();
            assertEquals(ChannelStatus.OK, worker.endStatus());
            assertFalse(producer.hasConsumer());
            try (FrameChannelWorker next = FrameChannelWorker.start(producer.name(), frame -> FrameResult.PROCESSED)) {
                assertTrue(producer.hasConsumer());
                FrameChannelTest.sendPattern(producer, 1);
                assertNotNull(producer.receive(Duration.ofSeconds(5)));
            }
        }
    }
}
