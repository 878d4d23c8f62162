package app.deeplive.engine.live;

import app.deeplive.engine.channel.ChannelException;
import app.deeplive.engine.channel.ChannelStatus;
import app.deeplive.engine.channel.FrameResult;
import app.deeplive.engine.channel.LeasedFrameChannel;

/** A shared-memory frame channel as a {@link StagedPipeline}'s intake: frames are lent in place, never copied. */
public final class ChannelIntake implements FrameIntake {
    private final LeasedFrameChannel channel;
    /** Why the channel ended (PEER_GONE, DETACHED…), or null while it runs: {@code attach} reports it. */
    private volatile ChannelStatus endStatus;

    public ChannelIntake(LeasedFrameChannel channel) {
        this.channel = channel;
    }

    @Override
    public boolean acquire(LiveFrame into, long timeoutNanos) {
        int slot;
        try {
            slot = channel.acquire(timeoutNanos);
        } catch (ChannelException e) {
            if (e.status().endsChannel()) {
                endStatus = e.status();
                throw new IntakeClosedException(e.getMessage());
            }
            throw e;
        }
        if (slot < 0) {
            return false;
        }
        into.lend(channel.view(slot), channel.pixels(slot), channel.sequence(slot), channel.timestampNanos(slot), slot);
        return true;
    }

    /** The status that ended the channel, or null while it runs (or when the pipeline was closed first). */
    public ChannelStatus endStatus() {
        return endStatus;
    }

    @Override
    public void complete(LiveFrame frame, FrameResult outcome) {
        channel.complete(frame.handle(), outcome);
    }
}
