package app.deeplive.engine.session;

import app.deeplive.engine.channel.ChannelException;
import app.deeplive.engine.channel.FrameResult;
import app.deeplive.engine.channel.LeasedFrameChannel;
import app.deeplive.engine.live.ChannelIntake;
import app.deeplive.engine.live.FrameIntake;
import java.util.concurrent.TimeUnit;

/**
 * A session's frames from the shared-memory frame channel the OBS plugin created. The channel lends frames by slot,
 * so a staged pipeline can hold several at once ({@link #intake()}); {@link #processNext} lends one at a time. The
 * session closes the source only once no frame is lent any more, so the shared memory is never unmapped under a
 * frame being processed.
 */
public final class ChannelFrameSource implements FrameSource {
    /** Attaches sessions by the channel name a client sends in open_session. */
    public static final FrameSourceFactory FACTORY = (name, limits) -> {
        try {
            return new ChannelFrameSource(LeasedFrameChannel.attach(name));
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

    private final LeasedFrameChannel channel;
    private final ChannelIntake intake;

    public ChannelFrameSource(LeasedFrameChannel channel) {
        this.channel = channel;
        this.intake = new ChannelIntake(channel);
    }

    @Override
    public boolean processNext(FrameProcessor processor, long timeoutMillis) {
        try {
            int slot = channel.acquire(TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
            if (slot < 0) {
                return false;
            }
            FrameResult result = FrameResult.FAILED;
            try {
                result = switch (processor.process(channel.view(slot))) {
                    case PROCESSED -> FrameResult.PROCESSED;
                    case UNSWAPPED, REJECTED -> FrameResult.UNSWAPPED; // handed back as it came, faces and all
                    case FAILED -> FrameResult.FAILED;
                };
            } finally {
                channel.complete(slot, result);
            }
            return true;
        } catch (ChannelException e) {
            throw new FrameSourceClosedException(e.getMessage());
        }
    }

    @Override
    public FrameIntake intake() {
        return intake;
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
