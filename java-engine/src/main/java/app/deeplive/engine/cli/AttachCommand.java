package app.deeplive.engine.cli;

import app.deeplive.engine.channel.ChannelStats;
import app.deeplive.engine.channel.ChannelStatus;
import app.deeplive.engine.channel.LeasedFrameChannel;
import app.deeplive.engine.live.ChannelIntake;
import app.deeplive.engine.live.Passthrough;
import app.deeplive.engine.live.StagedPipeline;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code attach <channel>}: serve a frame channel by name until its producer closes, as a passthrough session: the
 * staged pipeline sessions run, with the one {@link Passthrough} stage. It is a transport tool, so it looks for no
 * faces; its frames go back UNSWAPPED (they may show the real face), which a producer must never show as swapped.
 * How to try the engine without OBS: start {@code dlf-test-producer}, pass the name it prints. Ends with one JSON
 * line of counters.
 */
@Command(
        name = "attach",
        mixinStandardHelpOptions = true,
        description = "Serve the frame channel a producer (OBS plugin, dlf-test-producer) printed, until it closes.")
final class AttachCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CHANNEL", description = "Channel name, e.g. /dlf-1234-0123456789abcdef.")
    String channel;

    @Override
    public Integer call() throws Exception {
        ChannelStats stats;
        ChannelStatus end;
        try (LeasedFrameChannel consumer = LeasedFrameChannel.attach(channel)) {
            ChannelIntake intake = new ChannelIntake(consumer);
            CountDownLatch ended = new CountDownLatch(1);
            StagedPipeline pipeline = StagedPipeline.builder("attach", intake).stage(Passthrough.stage())
                    .onEnd(reason -> ended.countDown()).build();
            Thread stopOnInterrupt = new Thread(pipeline::close, "attach-shutdown");
            Runtime.getRuntime().addShutdownHook(stopOnInterrupt);
            pipeline.start();
            while (!ended.await(1, TimeUnit.SECONDS)) {
                // the pipeline's threads do the work; this one only waits for the producer to finish
            }
            pipeline.close(); // every lent frame goes back before the channel is released
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook already stopped the pipeline; report what was done
            }
            stats = consumer.stats();
            end = intake.endStatus() == null ? ChannelStatus.OK : intake.endStatus();
        }
        var out = new ObjectMapper().createObjectNode()
                .put("channel", channel)
                .put("processed", stats.processed())
                .put("rejected", stats.rejected())
                .put("end", end.name());
        spec.commandLine().getOut().println(out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
