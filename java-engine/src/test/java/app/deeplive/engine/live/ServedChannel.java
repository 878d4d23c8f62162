package app.deeplive.engine.live;

import app.deeplive.engine.channel.ChannelStats;
import app.deeplive.engine.channel.ChannelStatus;
import app.deeplive.engine.channel.LeasedFrameChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A frame channel served as sessions serve it, for tests: a {@link StagedPipeline} over a {@link ChannelIntake} with
 * the given stages. Closing it stops the pipeline (every lent frame goes back), then releases the channel.
 */
final class ServedChannel implements AutoCloseable {
    private final LeasedFrameChannel channel;
    private final ChannelIntake intake;
    private final StagedPipeline pipeline;
    private final CountDownLatch ended = new CountDownLatch(1);

    ServedChannel(LeasedFrameChannel channel, StageSpec... stages) {
        this.channel = channel;
        this.intake = new ChannelIntake(channel);
        StagedPipeline.Builder b = StagedPipeline.builder("served" + channel.name().replace('/', '-'), intake)
                .onEnd(reason -> ended.countDown());
        for (StageSpec stage : stages) {
            b.stage(stage);
        }
        this.pipeline = b.build().start();
    }

    static ServedChannel attach(String name, StageSpec... stages) {
        return new ServedChannel(LeasedFrameChannel.attach(name), stages);
    }

    /** Waits up to {@code timeout} for the pipeline to stop (producer gone, or closed); true if it has. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The status that ended the channel, or null while it runs. */
    ChannelStatus endStatus() {
        return intake.endStatus();
    }

    ChannelStats stats() {
        return channel.stats();
    }

    StagedPipeline pipeline() {
        return pipeline;
    }

    @Override
    public void close() {
        pipeline.close();
        channel.close();
    }
}
