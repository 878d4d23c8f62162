package app.deeplive.engine.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** One run of the engine's command line in-process, as a user would type it, with what it printed. */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(List<String> args) {
        return of(Main.commandLine(), args);
    }

    /** Runs {@code cli} (e.g. the engine's commands plus a test command) with {@code args}. */
    static CliRun of(CommandLine cli, List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args.toArray(String[]::new));
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The error stream's lines, none when it printed nothing. */
    List<String> errLines() {
        return err.strip().isEmpty() ? List.of() : err.strip().lines().toList();
    }
}
