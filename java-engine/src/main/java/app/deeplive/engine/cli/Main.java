package app.deeplive.engine.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

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
public final class Main implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        int code;
        NativeLogQuiet.apply();
        try {
            code = commandLine().execute(args);
        } catch (Throwable t) { // an Error picocli let through: still one line, no class name
            System.err.println("error: " + OneLineErrors.unexpected(t));
            code = OneLineErrors.FAILURE;
        }
        System.exit(code);
    }

    /** No command given: a usage error that lists them. */
    @Override
    public Integer call() {
        String commands = String.join(", ", spec.subcommands().keySet().stream().filter(c -> !c.equals("help")).toList());
        throw new ParameterException(spec.commandLine(), "missing command: give one of " + commands);
    }

    /** The configured command line, shared by main() and tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        OneLineErrors errors = new OneLineErrors();
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
        return cli;
    }
}
