package app.deeplive.engine.session;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live stream: a frame source processed by its own pipeline on its own thread, so a slow session never stalls
 * another or the control channel. Settings change by swapping an immutable snapshot; the loop reads it once per
 * frame, so a change applies from the next frame and never interrupts the stream.
 */
public final class Session implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Session.class);
    /** How long the loop waits for a frame before checking whether it should stop. */
    private static final long POLL_MILLIS = 100;

    /** Told once when the session ends, with a one-line reason; called from whichever thread ended it. */
    @FunctionalInterface
    public interface EndListener {
        void ended(Session session, String reason);
    }

    private final String id;
    private final String channelName;
    private final FrameLimits limits;
    private final FrameSource source;
    private final FramePipeline pipeline;
    private final FramePipelineFactory pipelines;
    private final String pipelineDescription;
    private final SessionStats stats = new SessionStats();
    private final AtomicReference<SessionSettings> settings = new AtomicReference<>(SessionSettings.INITIAL);
    private final AtomicBoolean ended = new AtomicBoolean();
    private final EndListener endListener;
    private final Thread thread;
    private volatile String endReason = "closed";

    Session(String id, String channelName, FrameLimits limits, FrameSource source, FramePipelineFactory pipelines,
            EndListener endListener) {
        this.id = id;
        this.channelName = channelName;
        this.limits = limits;
        this.source = source;
        this.pipelines = pipelines;
        this.pipeline = pipelines.create();
        this.pipelineDescription = pipelines.description();
        this.endListener = Objects.requireNonNull(endListener, "endListener");
        this.thread = new Thread(this::run, "session-" + id);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    public String id() {
        return id;
    }

    public String channelName() {
        return channelName;
    }

    public FrameLimits limits() {
        return limits;
    }

    public String pipelineDescription() {
        return pipelineDescription;
    }

    /** @throws RequestRejected if this session's pipeline could never swap {@code face} in */
    public void checkIdentity(SourceFace face) {
        pipelines.checkIdentity(face);
    }

    public SessionSettings settings() {
        return settings.get();
    }

    /** Applies a change atomically; the next frame sees all of it. Returns the new snapshot. */
    public SessionSettings update(UnaryOperator<SessionSettings> change) {
        return settings.updateAndGet(change);
    }

    public boolean isOpen() {
        return !ended.get();
    }

    public SessionStats.Snapshot stats() {
        return stats.snapshot(System.nanoTime());
    }

    public long droppedFrames() {
        return source.droppedFrames();
    }

    public int queueDepth() {
        return source.queueDepth();
    }

    private void run() {
        FrameProcessor onFrame = frame -> {
            if (!limits.admits(frame.width(), frame.height())) {
                stats.frameRejected();
                return FrameOutcome.REJECTED;
            }
            SessionSettings now = settings.get(); // once per frame: a change lands between frames, never inside one
            long start = System.nanoTime();
            try {
                pipeline.process(frame, now, stats);
            } catch (RuntimeException e) {
                // The frame goes back as the pipeline left it; one bad frame must not end the stream.
                stats.frameFailed();
                log.warn("session {}: frame failed: {}", id, e.toString());
                return FrameOutcome.FAILED;
            }
            long end = System.nanoTime();
            stats.record("total", end - start);
            stats.frameDone(end);
            return FrameOutcome.PROCESSED;
        };
        try {
            while (!ended.get()) {
                source.processNext(onFrame, POLL_MILLIS);
            }
        } catch (FrameSourceClosedException e) {
            end("frame channel closed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end("engine stopping");
        } catch (RuntimeException e) {
            log.error("session {} stopped by an unexpected error", id, e);
            end("internal error: " + e);
        } finally {
            pipeline.close();
            source.close();
        }
    }

    /** Ends the session (idempotent): the loop stops after the current frame, the channel is released. */
    public void end(String reason) {
        if (ended.compareAndSet(false, true)) {
            endReason = reason;
            // The loop notices within one poll and releases the source on its own thread: closing it here could
            // unmap a frame the pipeline is still writing.
            log.info("session {} on channel {} ended: {}", id, channelName, reason);
            endListener.ended(this, reason);
        }
    }

    public String endReason() {
        return endReason;
    }

    /** Ends the session and waits (bounded) for its thread, so the channel is released when this returns. */
    @Override
    public void close() {
        end("closed by client");
        if (Thread.currentThread() != thread) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
