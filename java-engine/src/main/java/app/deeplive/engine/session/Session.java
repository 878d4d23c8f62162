package app.deeplive.engine.session;

import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.live.LivePipeline;
import app.deeplive.engine.live.StreamObserver;
import app.deeplive.engine.models.FetchState;
import app.deeplive.engine.pipeline.SwapSettings;
import app.deeplive.engine.swap.Identity;
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
 * One live stream: a frame source and its own staged pipeline, whose threads take the frames, work on them and hand
 * them back, so a slow session never stalls another or the control channel. Settings change by swapping an
 * immutable snapshot; the pipeline reads it once per frame, so a change applies from the next frame and never
 * interrupts the stream. The session's own thread only waits for the end, then releases the pipeline and the source.
 */
public final class Session implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Session.class);
    /** How often the waiting thread checks whether it should stop, should an unpark be missed. */
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
    private final LivePipeline pipeline;
    private final SessionPipelines pipelines;
    private final String pipelineDescription;
    private final SessionStats stats = new SessionStats();
    private final AtomicReference<SessionSettings> settings = new AtomicReference<>(SessionSettings.INITIAL);
    private final AtomicBoolean ended = new AtomicBoolean();
    private final EndListener endListener;
    private final Thread thread;
    private volatile String endReason = "closed";

    Session(String id, String channelName, FrameLimits limits, FrameSource source, SessionPipelines pipelines,
            EndListener endListener) {
        this.id = id;
        this.channelName = channelName;
        this.limits = limits;
        this.source = source;
        this.pipelines = pipelines;
        this.endListener = Objects.requireNonNull(endListener, "endListener");
        this.pipeline = pipelines.create("session-" + id, source.intake(), settings::get, new Observer());
        this.pipelineDescription = pipelines.description();
        this.thread = new Thread(this::run, "session-" + id);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Frees what a session that was never started holds: its pipeline (and the model wrappers it owns), its source. */
    void discard() {
        try {
            pipeline.close();
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

    /** What {@code options} ask for that this session's models cannot do (see {@link SessionPipelines#unmet}). */
    public List<String> unmet(SwapSettings options) {
        return pipelines.unmet(options);
    }

    /** Starts fetching, in the background, the optional models {@code options} ask for that are not loaded. */
    public void request(SwapSettings options) {
        pipelines.request(options);
    }

    /** The fetches running now of models {@code options} ask for. */
    public List<FetchState> downloads(SwapSettings options) {
        return pipelines.downloads(options);
    }

    /** The execution provider the session's face swap runs on, or null when it swaps nothing. */
    public String provider() {
        return pipelines.provider();
    }

    /** @throws RequestRejected if this session's pipeline could never swap {@code face} in */
    public void checkIdentity(Identity face) {
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
        // The runner counts the frames its stages failed on.
        return stats.snapshot(System.nanoTime(), pipeline.pipeline().stats().failed());
    }

    /** Frames dropped at the pipeline's entry because the engine was behind (a newer one replaced them). */
    public long droppedFrames() {
        return pipeline.pipeline().stats().dropped();
    }

    /** Frames inside the pipeline right now. */
    public int queueDepth() {
        return pipeline.pipeline().framesInFlight();
    }

    /**
     * The pipeline's own threads take frames from the source and hand them back; this thread only waits for the
     * end, then stops the pipeline (every frame in flight goes back) before the source is released.
     */
    private void run() {
        try {
            pipeline.start();
            while (!ended.get()) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)); // end() unparks
            }
        } catch (RuntimeException e) {
            log.error("session {} stopped by an unexpected error", id, e);
            end("internal error: " + e);
        } finally {
            pipeline.close();
            source.close();
        }
    }

    /** The pipeline's view of the session: its size limits, its figures, its end. */
    private final class Observer implements StreamObserver {
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

    /** Ends the session (idempotent): its pipeline stops, every frame in flight goes back, the channel is released. */
    public void end(String reason) {
        if (ended.compareAndSet(false, true)) {
            endReason = reason;
            // The session's thread wakes and releases the source after the pipeline stopped: closing it here could
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
