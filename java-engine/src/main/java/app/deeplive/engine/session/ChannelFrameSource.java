package app.deeplive.engine.session;

import app.deeplive.engine.channel.ChannelException;
import app.deeplive.engine.channel.LeasedFrameChannel;
import app.deeplive.engine.live.ChannelIntake;
import app.deeplive.engine.live.FrameIntake;

/**
 * A session's frames from the shared-memory frame channel the OBS plugin created. The channel lends frames by slot,
 * so the session's pipeline can hold several at once. The session closes the source only once no frame is lent any
 * more, so the shared memory is never unmapped under a frame being processed.
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
    public FrameIntake intake() {
        return intake;
    }

    @Override
    public void close() {
        channel.close();
    }
}
