package app.deeplive.engine.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The engine's entry point: {@code java -jar deep-live-face-engine.jar <command>}.
 * Each command is its own class; this one only lists them.
 */
@Command(
        name = "deep-live-face-engine",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Deep Live Face engine: real-time face swapping for OBS Studio.",
        subcommands = {
                CommandLine.HelpCommand.class,
                BenchCommand.class,
                AnalyzeCommand.class,
                ServeCommand.class,
                ModelsCommand.class,
                SwapCommand.class,
                AttachCommand.class,
        })
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by main() and tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new OneLineErrors());
        return cli;
    }
}
