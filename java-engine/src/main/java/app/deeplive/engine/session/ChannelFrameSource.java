package app.deeplive.engine.session;

import app.deeplive.engine.channel.ChannelException;
import app.deeplive.engine.channel.ChannelStats;
import app.deeplive.engine.channel.FrameChannel;
import app.deeplive.engine.channel.FrameResult;
import java.time.Duration;

/**
 * A session's frames from the shared-memory frame channel the OBS plugin created. The session's thread is the
 * only one that calls {@link #processNext} (and refreshes the counters after each frame, so get_stats never waits on
 * the channel's lock); close comes from that same thread when the session ends.
 */
public final class ChannelFrameSource implements FrameSource {
    /** Attaches sessions by the channel name a client sends in open_session. */
    public static final FrameSourceFactory FACTORY = (name, limits) -> {
        try {
            return new ChannelFrameSource(FrameChannel.attach(name));
        } catch (ChannelException e) {
            RequestRejected.Reason reason = switch (e.status()) {
                case NOT_FOUND -> RequestRejected.Reason.NOT_FOUND;
                case BUSY -> RequestRejected.Reason.LIMIT;
                case BAD_CHANNEL, INVALID_ARGUMENT, VERSION -> RequestRejected.Reason.BAD_REQUEST;
                default -> RequestRejected.Reason.UNAVAILABLE;
            };
            throw new RequestRejected(reason, e.getMessage(), e);
        }
    };

    private final FrameChannel channel;
    private volatile ChannelStats stats;

    public ChannelFrameSource(FrameChannel channel) {
        this.channel = channel;
        this.stats = channel.stats();
    }

    @Override
    public boolean processNext(FrameProcessor processor, long timeoutMillis) {
        try {
            boolean processed = channel.processNext(frame -> switch (processor.process(frame)) {
                case PROCESSED -> FrameResult.PROCESSED;
                case REJECTED -> FrameResult.UNCHANGED; // handed back as it came
                case FAILED -> FrameResult.FAILED;
            }, Duration.ofMillis(timeoutMillis));
            if (processed) {
                stats = channel.stats();
            }
            return processed;
        } catch (ChannelException e) {
            throw new FrameSourceClosedException(e.getMessage());
        }
    }

    @Override
    public long droppedFrames() {
        ChannelStats s = stats;
        return s == null ? 0 : s.dropped();
    }

    /** The consumer's end cannot see frames waiting in the channel's slots; -1 says "unknown". */
    @Override
    public int queueDepth() {
        return -1;
    }

    @Override
    public void close() {
        channel.close();
    }
}
