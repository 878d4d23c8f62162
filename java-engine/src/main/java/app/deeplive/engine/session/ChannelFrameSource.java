package app.deeplive.engine.session;

import app.deeplive.engine.channel.ChannelException;
import app.deeplive.engine.channel.FrameChannel;
import app.deeplive.engine.channel.FrameResult;
import java.time.Duration;

/**
 * A session's frames from the shared-memory frame channel the OBS plugin created. The session's thread is the only
 * one that calls {@link #processNext}, and it also closes the source when the session ends, so the shared memory is
 * never unmapped under a frame being processed.
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

    public ChannelFrameSource(FrameChannel channel) {
        this.channel = channel;
    }

    @Override
    public boolean processNext(FrameProcessor processor, long timeoutMillis) {
        try {
            return channel.processNext(frame -> switch (processor.process(frame)) {
                case PROCESSED -> FrameResult.PROCESSED;
                case REJECTED -> FrameResult.UNCHANGED; // handed back as it came
                case FAILED -> FrameResult.FAILED;
            }, Duration.ofMillis(timeoutMillis));
        } catch (ChannelException e) {
            throw new FrameSourceClosedException(e.getMessage());
        }
    }

    /**
     * The channel counts drops on the producer's side (a slot replaced before the engine took it); the engine's
     * handle does not see them, so -1 says "unknown" (the OBS plugin reports its own figure).
     */
    @Override
    public long droppedFrames() {
        return -1;
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
