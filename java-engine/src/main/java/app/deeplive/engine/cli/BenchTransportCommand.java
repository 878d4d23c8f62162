package app.deeplive.engine.cli;

import app.deeplive.engine.live.TransportBench;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench transport}: the frame channel's round trip with a no-op pipeline, as one JSON object. */
@Command(
        name = "transport",
        mixinStandardHelpOptions = true,
        description = "Round-trip latency of the shared-memory frame channel with a no-op engine (JSON).")
final class BenchTransportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--size", defaultValue = "1920x1080", description = "Frame size WIDTHxHEIGHT (default ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--frames", defaultValue = "2000", description = "Frames to measure (default ${DEFAULT-VALUE}).")
    int frames;

    @Override
    public Integer call() throws Exception {
        int[] wh = SizeArgument.parse(size);
        int width = wh[0];
        int height = wh[1];
        new OptionChecks(spec)
                .check(width >= 1 && height >= 1 && width <= 16384 && height <= 16384
                        && (long) width * height * 4 <= (256L << 20), "--size", size,
                        "must look like 1920x1080, up to 16384 a side and 256 MiB a frame")
                .check(frames >= 1, "--frames", frames, "must be at least 1")
                .done();
        TransportBench.Figures figures = new TransportBench(width, height).run(frames);
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode()
                .put("bench", "transport")
                .put("width", figures.width())
                .put("height", figures.height())
                .put("frames", figures.frames())
                .put("corrupted", figures.corrupted())
                .put("dropped", figures.dropped())
                .put("p50_us", figures.p50Us())
                .put("p99_us", figures.p99Us())
                .put("max_us", figures.maxUs())
                .put("memcpy2_us", figures.memcpy2Us())
                .put("target_p99_us", figures.targetP99Us())
                .put("meets_target", figures.p99Us() <= figures.targetP99Us());
        spec.commandLine().getOut().println(json.writeValueAsString(out));
        spec.commandLine().getOut().flush();
        return figures.corrupted() == 0 ? 0 : 1;
    }
}
