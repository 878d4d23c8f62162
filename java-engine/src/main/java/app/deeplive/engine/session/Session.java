package app.deeplive.engine.session;

import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.live.FrameIntake;
import app.deeplive.engine.live.LiveFaceSwap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
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
    private final FramePipeline pipeline; // frame by frame on the session's thread, or null when staged
    private final LiveFaceSwap staged; // the steps overlapping consecutive frames on threads of their own, or null
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
        FrameIntake intake = source.intake();
        this.staged = intake == null ? null
                : pipelines.createStaged("session-" + id, intake, settings::get, new StagedObserver());
        this.pipeline = staged == null ? pipelines.create() : null;
        this.pipelineDescription = pipelines.description();
        this.endListener = Objects.requireNonNull(endListener, "endListener");
        this.thread = new Thread(this::run, "session-" + id);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Frees what a session that was never started holds: its pipeline (and the model wrappers it owns), its source. */
    void discard() {
        try {
            if (staged != null) {
                staged.close();
            } else {
                pipeline.close();
            }
        } finally {
            source.close();
        }
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

    /** What {@code options} ask for that this session's models cannot do (see {@link FramePipelineFactory#unmet}). */
    public List<String> unmet(SessionOptions options) {
        return pipelines.unmet(options);
    }

    /** The execution provider the session's face swap runs on, or null when it swaps nothing. */
    public String provider() {
        return pipelines.provider();
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
        SessionStats.Snapshot s = stats.snapshot(System.nanoTime());
        if (staged == null) {
            return s;
        }
        long failed = staged.pipeline().stats().failed(); // the staged runner counts the frames its stages failed on
        return new SessionStats.Snapshot(s.frames(), s.fps(), s.rejected(), s.errors() + failed, s.stages());
    }

    /** Frames dropped because the engine was behind: at the staged pipeline's entry, or as the source counts them. */
    public long droppedFrames() {
        return staged != null ? staged.pipeline().stats().dropped() : source.droppedFrames();
    }

    /** Frames inside the staged pipeline, or waiting as the source counts them. */
    public int queueDepth() {
        return staged != null ? staged.pipeline().framesInFlight() : source.queueDepth();
    }

    private void run() {
        if (staged != null) {
            runStaged();
            return;
        }
        RepeatedFailures failures = new RepeatedFailures();
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
                String line = failures.line(e.toString(), System.nanoTime());
                if (line != null) {
                    log.warn("session {}: frame failed: {}", id, line);
                }
                return FrameOutcome.FAILED;
            }
            long end = System.nanoTime();
            stats.record("total", end - start);
            stats.frameDone(end);
            // Without an identity or a swapper the frame is as it came: the producer must not take it for a swap.
            return now.hasIdentity() && pipeline.swapsFaces() ? FrameOutcome.PROCESSED : FrameOutcome.UNSWAPPED;
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

    /**
     * The staged form: the pipeline's own threads take frames from the source and hand them back; this thread only
     * waits for the end, then stops the pipeline (every frame in flight goes back) before the source is released.
     */
    private void runStaged() {
        try {
            staged.start();
            while (!ended.get()) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)); // end() unparks
            }
        } catch (RuntimeException e) {
            log.error("session {} stopped by an unexpected error", id, e);
            end("internal error: " + e);
        } finally {
            staged.close();
            source.close();
        }
    }

    /** The staged pipeline's view of the session: its size limits, its figures, its end. */
    private final class StagedObserver implements LiveFaceSwap.Observer {
        @Override
        public boolean admits(FrameView frame) {
            if (limits.admits(frame.width(), frame.height())) {
                return true;
            }
            stats.frameRejected();
            return false;
        }

        @Override
        public void stage(String name, long nanos) {
            stats.record(name, nanos);
        }

        @Override
        public void frameDone(long nanoTime, long latencyNanos) {
            stats.record("total", latencyNanos);
            stats.frameDone(nanoTime);
        }

        @Override
        public void ended(String reason) {
            if (!"closed".equals(reason)) { // not our own close: the frame source ended or the pipeline broke
                end("frame channel closed: " + reason);
            }
        }
    }

    /** Ends the session (idempotent): the loop stops after the current frame, the channel is released. */
    public void end(String reason) {
        if (ended.compareAndSet(false, true)) {
            endReason = reason;
            // The loop notices within one poll and releases the source on its own thread: closing it here could
            // unmap a frame the pipeline is still writing.
            log.info("session {} on channel {} ended: {}", id, channelName, reason);
            LockSupport.unpark(thread);
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
