package app.deeplive.engine.cli;

import app.deeplive.engine.channel.ChannelStats;
import app.deeplive.engine.channel.FrameChannelWorker;
import app.deeplive.engine.channel.FrameResult;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code attach <channel>}: serve a frame channel by name until its producer closes, with the pipeline that exists
 * so far (none: frames go back unchanged). How to try the engine without OBS: start {@code dlf-test-producer},
 * pass the name it prints. Ends with one JSON line of counters.
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
        FrameChannelWorker worker = FrameChannelWorker.start(channel, frame -> FrameResult.UNCHANGED);
        Thread stopOnInterrupt = new Thread(worker::close, "attach-shutdown");
        Runtime.getRuntime().addShutdownHook(stopOnInterrupt);
        while (!worker.awaitEnd(Duration.ofSeconds(1))) {
            // the worker thread does the work; this one only waits for the producer to finish
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnInterrupt);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook already stopped the worker; report what was done
        }
        ChannelStats stats = worker.stats();
        var out = new ObjectMapper().createObjectNode()
                .put("channel", channel)
                .put("processed", stats.processed())
                .put("rejected", stats.rejected())
                .put("end", worker.endStatus().name());
        spec.commandLine().getOut().println(out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
