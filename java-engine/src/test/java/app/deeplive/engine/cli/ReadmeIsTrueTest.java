package app.deeplive.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 14, item 9: the READMEs are true. Every engine command they quote is one the engine accepts (parsed by
 * its real command tree, with README's placeholders filled in, never run), every message they say the engine or
 * the filter prints is one the sources print, every repository path they name exists, and every Maven profile
 * they use is in a pom. One test per quote, named by where it stands.
 */
class ReadmeIsTrueTest {
    private static final List<String> READMES = List.of("README.md", "obs-plugin/README.md");
    private static final ReadmeChecks CHECKS = ReadmeChecks.of(ReadmeChecks.repository());

    @TestFactory
    Stream<DynamicTest> everyQuotedEngineCommandIsOneTheEngineAccepts() {
        return eachReadme(readme -> CHECKS.engineCommands(readme).stream()
                .map(c -> check(c.quote(), CHECKS.commandProblem(c))));
    }

    @TestFactory
    Stream<DynamicTest> everyQuotedMessageIsOneTheProgramsPrint() {
        return eachReadme(readme -> CHECKS.messages(readme).stream().map(m -> check(m, CHECKS.messageProblem(m))));
    }

    @TestFactory
    Stream<DynamicTest> everyRepositoryPathExists() {
        return eachReadme(readme -> CHECKS.repoPaths(readme).stream().map(p -> check(p, CHECKS.pathProblem(readme, p))));
    }

    @TestFactory
    Stream<DynamicTest> everyMavenProfileIsInAPom() {
        return eachReadme(readme -> CHECKS.mavenCommands(readme).stream().map(m -> check(m, CHECKS.mavenProblem(m))));
    }

    @TestFactory
    Stream<DynamicTest> everyEnvironmentVariableIsOneAProgramReads() {
        return eachReadme(readme -> CHECKS.environmentVariables(readme).stream()
                .map(v -> check(v, CHECKS.variableProblem(v))));
    }

    /** The other way round: a variable that changes what the engine or the filter does is in README.md. */
    @Test
    void everyVariableTheProgramsReadIsInTheReadme() {
        Set<String> documented = CHECKS.environmentVariables(ReadmeText.read(CHECKS.repo(), "README.md")).stream()
                .map(ReadmeText.Piece::text).collect(Collectors.toSet());
        Set<String> undocumented = new TreeSet<>(CHECKS.variablesTheProgramsRead());
        undocumented.removeAll(documented);
        assertEquals(Set.of(), undocumented, "read by the programs, not in README.md");
    }

    /** The checks above see what they should: a README that quoted nothing would pass them all. */
    @Test
    void theReadmesQuotesAreFound() {
        ReadmeText top = ReadmeText.read(CHECKS.repo(), "README.md");
        List<String> commands = CHECKS.engineCommands(top).stream().map(c -> String.join(" ", c.words())).toList();
        assertTrue(commands.containsAll(List.of("serve [--host 127.0.0.1] [--port 47654] [--token-file F] [--allow-remote] [--owner-pid PID]",
                "models fetch det_10g", "attach <name>", "<command> --help", "serve --token-file F")), commands.toString());
        assertTrue(commands.size() >= 25, commands.size() + " commands: " + commands);
        List<String> messages = CHECKS.messages(top).stream().map(ReadmeText.Piece::text).toList();
        assertTrue(messages.containsAll(List.of("TensorRT, CUDA providers unavailable: …; using CPU",
                "engine not installed: not in … nor …", "model det_10g not found at …")), messages.toString());
        assertTrue(CHECKS.repoPaths(top).size() >= 8, CHECKS.repoPaths(top).toString());
        assertTrue(CHECKS.mavenCommands(top).size() >= 5, CHECKS.mavenCommands(top).toString());
        ReadmeText plugin = ReadmeText.read(CHECKS.repo(), "obs-plugin/README.md");
        List<String> pluginCommands = CHECKS.engineCommands(plugin).stream().map(c -> String.join(" ", c.words())).toList();
        assertTrue(pluginCommands.contains("serve --port <port> --token-file <token> --owner-pid <pid>"), pluginCommands.toString());
    }

    /** And they fail on a README that says what is not so. */
    @Test
    void aFalseReadmeFails() {
        ReadmeText lies = ReadmeText.parse("LIES.md", String.join("\n",
                "Run `serve --port 47654 --no-such-option`, `models fetch det_11g`, `bench warp` and",
                "`models … --no-dir DIR`; `swap --target IMAGE|VIDEO --output PATH --enhancer gfpgan|gpen1024`.",
                "Build with `mvn -B -Pgpu,turbo package`; read [the guide](docs/no-such-guide.md).",
                "## Troubleshooting",
                "| `model det_10g was eaten by …` | status: \"Engine on holiday\" |"));
        Set<String> problems = new TreeSet<>();
        CHECKS.engineCommands(lies).forEach(c -> CHECKS.commandProblem(c).ifPresent(problems::add));
        CHECKS.messages(lies).forEach(m -> CHECKS.messageProblem(m).ifPresent(problems::add));
        CHECKS.repoPaths(lies).forEach(p -> CHECKS.pathProblem(lies, p).ifPresent(problems::add));
        CHECKS.mavenCommands(lies).forEach(m -> CHECKS.mavenProblem(m).ifPresent(problems::add));
        assertEquals(9, problems.size(), String.join("\n", problems));
        assertTrue(problems.stream().anyMatch(p -> p.contains("--no-such-option")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("gpen1024")), problems.toString());
        assertFalse(problems.stream().anyMatch(p -> p.startsWith("--enhancer gfpgan")), problems.toString());
    }

    private static Stream<DynamicTest> eachReadme(Function<ReadmeText, Stream<DynamicTest>> tests) {
        return READMES.stream().map(name -> ReadmeText.read(CHECKS.repo(), name)).flatMap(tests);
    }

    private static DynamicTest check(ReadmeText.Piece quote, Optional<String> problem) {
        return DynamicTest.dynamicTest(quote.where() + " " + quote.text(), () -> problem.ifPresent(
                p -> fail(quote.where() + " (" + quote.section() + ") quotes `" + quote.text() + "`, which is not true: " + p)));
    }
}
