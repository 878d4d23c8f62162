package app.deeplive.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.UserFacingException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** What reaches the user when a command fails: one line per problem, exit 2 for usage and 1 for failures. */
class OneLineErrorsTest {
    record Run(int exitCode, String err) {
        List<String> lines() {
            return err.strip().lines().toList();
        }
    }

    static Run run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return new Run(cli.execute(args), err.toString());
    }

    /** A command that throws what it is given, for the failures no real command provokes on purpose. */
    @Command(name = "fails")
    static final class Fails implements Callable<Integer> {
        final Exception thrown;

        Fails(Exception thrown) {
            this.thrown = thrown;
        }

        @Override
        public Integer call() throws Exception {
            throw thrown;
        }
    }

    static Run failing(Exception e) {
        CommandLine cli = Main.commandLine();
        cli.addSubcommand(new CommandLine(new Fails(e)));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        return new Run(cli.execute("fails"), err.toString());
    }

    @Test
    void aWrongOptionValueIsOneLineNamingTheOptionWithAPointerToHelpAndNoUsageText() {
        Run r = run("analyze", "--threshold", "abc", "photo.jpg");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.lines().size(), r.err());
        String line = r.lines().get(0);
        assertTrue(line.startsWith("error: Invalid value for option '--threshold': 'abc' is not a float (see `"), line);
        assertTrue(line.endsWith(" analyze --help`)"), line);
        assertFalse(r.err().contains("Usage:"), r.err());
    }

    @Test
    void anUnknownOptionIsOneLineNamingIt() {
        Run r = run("analyze", "--treshold", "0.5", "photo.jpg");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.lines().size(), r.err());
        assertTrue(r.lines().get(0).startsWith("error: Unknown option: '--treshold' (see `"), r.err());
    }

    @Test
    void aMistypedCommandIsOneLineWithTheLikelyMeaning() {
        Run r = run("analyse", "photo.jpg");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.lines().size(), r.err());
        assertTrue(r.lines().get(0).contains("'analyse'"), r.err());
        assertTrue(r.lines().get(0).contains("did you mean analyze"), r.err());
    }

    @Test
    void aMissingRequiredOptionIsOneLine() {
        Run r = run("swap", "--source", "a.jpg", "--output", "o.png");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.lines().size(), r.err());
        assertTrue(r.lines().get(0).startsWith("error: Missing required option: '--target=IMAGE|VIDEO' (see `"), r.err());
        assertTrue(r.lines().get(0).endsWith(" swap --help`)"), r.err());
    }

    @Test
    void noCommandAtAllIsAUsageErrorNotAnInternalOne() {
        Run r = run();
        assertEquals(2, r.exitCode());
        assertEquals(1, r.lines().size(), r.err());
        assertTrue(r.lines().get(0).startsWith("error: missing command"), r.err());
    }

    @Test
    void aUserFacingFailureIsItsMessageAndExitOne() {
        Run r = failing(new UserFacingException("model x.onnx not found: check the path"));
        assertEquals(1, r.exitCode());
        assertEquals(List.of("error: model x.onnx not found: check the path"), r.lines());
    }

    @Test
    void aNativeAssertionNeverReachesTheUser() {
        Run r = failing(new RuntimeException("OpenCV(4.13.0) /home/runner/opencv/modules/imgcodecs/src/loadsave.cpp:79: "
                + "error: (-215:Assertion failed) pixels <= CV_IO_MAX_IMAGE_PIXELS in function 'validateInputImageSize'\n"));
        assertEquals(1, r.exitCode(), "a failure, not EX_SOFTWARE");
        assertEquals(1, r.lines().size(), r.err());
        assertFalse(r.err().contains("OpenCV") || r.err().contains("Assertion") || r.err().contains("Exception"), r.err());
        assertTrue(r.err().startsWith("error: unexpected failure (an image or model operation failed in a native "
                + "library); please report it"), r.err());
    }

    @Test
    void anUnexpectedExceptionKeepsItsTextButNotItsClassNames() {
        Run r = failing(new IllegalStateException("face enhancer run failed: ai.onnxruntime.OrtException: "
                + "Invalid rank for output: out Got: 4 Expected: 2",
                new NullPointerException()));
        assertEquals(1, r.exitCode());
        assertEquals(1, r.lines().size(), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertTrue(r.err().startsWith("error: unexpected failure (face enhancer run failed: Invalid rank for output"),
                r.err());
    }

    @Test
    void anExceptionWithoutAMessageStillGivesOneLineWithoutItsName() {
        Run r = failing(new NullPointerException());
        assertEquals(1, r.exitCode());
        assertEquals(List.of("error: unexpected failure (no details); please report it with the command you ran "
                + "(DLF_DEBUG=1 adds the details)"), r.lines());
    }
}
