package app.deeplive.engine.cli;

import app.deeplive.engine.EngineCommand;
import app.deeplive.engine.UserFacingException;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into lines a user can act on, each starting with {@code error: }.
 *
 * <ul>
 *   <li>A usage error (a bad option or value, exit 2) prints one line per problem naming the option, with a pointer
 *       to the command's {@code --help}; never the usage text, which would scroll the line away.
 *   <li>An expected failure ({@link UserFacingException}, exit 1 unless it says otherwise) prints its message.
 *   <li>Anything else is a bug: exit 1, one line saying so, with the cause's text cleaned of exception class names
 *       and native-library assertion text. {@code DLF_DEBUG=1} adds the stack trace for a bug report.
 * </ul>
 */
final class OneLineErrors implements IExecutionExceptionHandler, IParameterExceptionHandler {
    static final int USAGE = 2;
    static final int FAILURE = 1;

    // "OpenCV(4.13.0) /path/loadsave.cpp:79: error: (-215:Assertion failed) ..." and similar native texts.
    private static final Pattern NATIVE = Pattern.compile("(?i)opencv|assertion|\\.(cpp|cc|h|hpp):\\d+");
    // Fully qualified class names (java.lang.Foo, ai.onnxruntime.OrtException) and simple *Exception / *Error names.
    private static final Pattern CLASS_NAME =
            Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error)\\b:?\\s*|\\b\\w*(?:Exception|Error)\\b:\\s*");

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String message = e.getMessage() == null ? "invalid arguments" : e.getMessage();
        if (e instanceof UnmatchedArgumentException u) {
            List<String> suggestions = u.getSuggestions();
            if (!suggestions.isEmpty()) {
                message = message + "; did you mean " + String.join(" or ", suggestions) + "?";
            }
        }
        printUsageError(cmd, message);
        return USAGE;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        if (e instanceof UserFacingException u) {
            if (u.exitCode() == USAGE) {
                printUsageError(cmd, u.getMessage());
                return USAGE;
            }
            cmd.getErr().println("error: " + oneLine(u.getMessage()));
            return FAILURE;
        }
        cmd.getErr().println("error: " + unexpected(e));
        if ("1".equals(System.getenv("DLF_DEBUG"))) {
            e.printStackTrace(); // to the process's stderr, for a bug report
        }
        return FAILURE;
    }

    /** One line for a failure the engine did not expect: what it was, cleaned, and what to do. */
    static String unexpected(Throwable e) {
        return "unexpected failure (" + cleaned(e) + "); please report it with the command you ran "
                + "(DLF_DEBUG=1 adds the details)";
    }

    /** A throwable's message as one line without class names or native assertion text. */
    static String cleaned(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m == null || m.isBlank()) {
                continue;
            }
            if (NATIVE.matcher(m).find()) {
                return "an image or model operation failed in a native library";
            }
            String text = oneLine(CLASS_NAME.matcher(m).replaceAll("")).strip();
            if (!text.isEmpty()) {
                return text;
            }
        }
        return "no details";
    }

    static String oneLine(String message) {
        if (message == null) {
            return "no details";
        }
        return message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    /** Each line of the message as its own {@code error:} line, each with the pointer to the command's help. */
    private static void printUsageError(CommandLine cmd, String message) {
        String hint = " (see `" + helpCommand(cmd) + "`)";
        for (String line : (message == null ? "invalid arguments" : message.strip()).split("\\R")) {
            if (!line.isBlank()) {
                cmd.getErr().println("error: " + line.strip() + hint);
            }
        }
        cmd.getErr().flush();
    }

    /** How to ask for this command's help, as the user can type it: {@code java -jar /…/engine.jar analyze --help}. */
    static String helpCommand(CommandLine cmd) {
        String qualified = cmd.getCommandSpec().qualifiedName(" ");
        int space = qualified.indexOf(' ');
        String sub = space < 0 ? "" : qualified.substring(space + 1) + " ";
        return EngineCommand.line(sub + "--help");
    }
}
