package app.deeplive.engine.cli;

import app.deeplive.engine.UserFacingException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure into the one line a user can act on. Expected failures ({@link UserFacingException})
 * print their message alone; anything else also names its type so a bug report is useful.
 */
final class OneLineErrors implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        if (e instanceof UserFacingException u) {
            cmd.getErr().println("error: " + u.getMessage());
            return u.exitCode();
        }
        cmd.getErr().println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        return 70; // EX_SOFTWARE
    }
}
