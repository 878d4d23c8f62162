package app.deeplive.engine.cli;

import picocli.CommandLine.Command;

/** {@code bench <what>}: benchmarks that print their figures as one JSON object. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure a part of the engine and print the figures as JSON.",
        subcommands = {BenchAnalysisCommand.class, BenchSwapCommand.class, BenchTransportCommand.class,
                PipelineBenchCommand.class})
final class BenchCommand {}
