package app.deeplive.engine.channel;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link FrameChannel} on its own thread until the producer goes away or {@link #close()} is called;
 * several workers serve several channels at once. Attaching happens in {@link #start}, so a bad channel name fails
 * there, in the caller's thread.
 */
public final class FrameChannelWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FrameChannelWorker.class);
    /** How long one wait for a frame lasts before the loop checks whether it should stop. */
    private static final Duration POLL = Duration.ofMillis(100);

    private final FrameChannel channel;
    private final FrameProcessor processor;
    private final Consumer<ChannelStatus> onEnd;
    private final Thread thread;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile ChannelStatus endStatus;

    private FrameChannelWorker(FrameChannel channel, FrameProcessor processor, Consumer<ChannelStatus> onEnd) {
        this.channel = channel;
        this.processor = processor;
        this.onEnd = onEnd;
        this.thread = new Thread(this::loop, "frame-channel" + channel.name().replace('/', '-'));
    }

    /** Attaches to {@code channelName} and starts processing its frames with {@code processor}. */
    public static FrameChannelWorker start(String channelName, FrameProcessor processor) {
        return start(FrameChannel.attach(channelName), processor, status -> {});
    }

    /**
     * Starts processing an attached channel; the worker owns and closes it. {@code onEnd} is called on the worker
     * thread once the channel is released (before {@link #awaitEnd} returns): with {@link ChannelStatus#PEER_GONE} or {@link ChannelStatus#DETACHED}
     * when the producer ended it, {@link ChannelStatus#OK} after {@link #close()}.
     */
    public static FrameChannelWorker start(FrameChannel channel, FrameProcessor processor,
            Consumer<ChannelStatus> onEnd) {
        FrameChannelWorker worker = new FrameChannelWorker(channel, processor, onEnd);
        worker.thread.start();
        return worker;
    }

    private void loop() {
        ChannelStatus status = ChannelStatus.OK;
        try {
            while (!stopping) {
                channel.processNext(processor, POLL);
            }
        } catch (ChannelException e) {
            status = e.status();
            if (status.endsChannel()) {
                log.info("frame channel {} ended: {}", channel.name(), e.getMessage());
            } else {
                log.error("frame channel {} failed: {}", channel.name(), e.getMessage());
            }
        } catch (RuntimeException | Error e) {
            status = ChannelStatus.UNKNOWN;
            log.error("frame channel {} stopped by an unexpected error", channel.name(), e);
        } finally {
            channel.close();
            endStatus = status;
        }
        try {
            onEnd.accept(status);
        } catch (RuntimeException e) {
            log.error("end listener of frame channel {} failed", channel.name(), e);
        } finally {
            ended.countDown();
        }
    }

    public String channelName() {
        return channel.name();
    }

    public boolean isRunning() {
        return ended.getCount() > 0;
    }

    /** Why the worker ended (null while it runs). */
    public ChannelStatus endStatus() {
        return endStatus;
    }

    /** Waits up to {@code timeout} for the worker to end; true if it has. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    public ChannelStats stats() {
        return channel.stats();
    }

    /** Stops after the frame in hand (if any) and releases the channel; returns once it has. */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
