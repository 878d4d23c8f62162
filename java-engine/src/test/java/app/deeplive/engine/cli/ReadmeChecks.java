package app.deeplive.engine.cli;

import app.deeplive.engine.models.ModelEntry;
import app.deeplive.engine.models.ModelManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Checks what a README quotes against the program: engine commands against the engine's real command tree
 * (parsed, never run), messages against what the programs can print, repository paths against the checkout,
 * Maven profiles against the poms. Each check answers the problem in one line, or nothing when the quote is true.
 */
final class ReadmeChecks {
    /** The section whose code quotes what the programs print (symptoms and log lines). */
    private static final String TROUBLESHOOTING = "Troubleshooting";
    /** Code that starts with one of these is a command line for another program, not a message. */
    private static final Set<String> OTHER_PROGRAMS = Set.of("sudo", "mvn", "java", "rm", "cmake", "cpack", "ctest");
    private static final Pattern MAVEN_PROFILES = Pattern.compile("\\bmvn\\b[^`]*?\\s-P(\\S+)");
    private static final Pattern VARIABLE = Pattern.compile("(?<!-D)\\b(DLF_[A-Z0-9_]+)");
    private static final List<String> MODEL_COMMANDS = List.of("deep-live-face-engine models fetch",
            "deep-live-face-engine models verify");

    private final Path repo;
    private final ProgramText program;
    private final Set<String> commands;
    private final Set<String> profiles;
    private final Set<String> modelNames;

    private ReadmeChecks(Path repo) {
        this.repo = repo;
        this.program = ProgramText.of(repo);
        this.commands = Main.commandLine().getSubcommands().keySet();
        this.profiles = mavenProfiles(repo);
        this.modelNames = ModelManifest.load(repo.resolve("models/manifest.json")).models().stream()
                .map(ModelEntry::name).collect(Collectors.toSet());
    }

    static ReadmeChecks of(Path repo) {
        return new ReadmeChecks(repo);
    }

    /** The checkout this test runs in: the nearest folder up from here with README.md and java-engine/. */
    static Path repository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("java-engine"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no checkout above " + Path.of("").toAbsolutePath());
    }

    Path repo() {
        return repo;
    }

    // ---- what a README quotes

    List<QuotedCommand> engineCommands(ReadmeText readme) {
        return readme.code.stream().flatMap(c -> QuotedCommand.of(c, commands).stream()).toList();
    }

    /** Quoted text, and the Troubleshooting sections' code that is no command line: what a user reads. */
    List<ReadmeText.Piece> messages(ReadmeText readme) {
        List<ReadmeText.Piece> messages = new ArrayList<>(readme.quotes);
        for (ReadmeText.Piece code : readme.code) {
            String text = code.text().strip();
            if (code.section().equals(TROUBLESHOOTING) && text.contains(" ")
                    && !OTHER_PROGRAMS.contains(text.split("\\s+")[0])
                    && QuotedCommand.of(code, commands).isEmpty()) {
                messages.add(code);
            }
        }
        return messages;
    }

    /**
     * Repository paths: relative links, and code of one word with a slash whose first part is an entry of the
     * README's folder or of the repository. Build outputs ({@code target/}) are made by the build, not kept.
     */
    List<ReadmeText.Piece> repoPaths(ReadmeText readme) {
        List<ReadmeText.Piece> paths = new ArrayList<>();
        for (ReadmeText.Piece link : readme.links) {
            if (!link.text().matches("(?i)(https?|mailto):.*") && !link.text().startsWith("#")) {
                paths.add(link);
            }
        }
        Path folder = readmeFolder(readme);
        for (ReadmeText.Piece code : readme.code) {
            String text = code.text().strip().split("\\s+", 2)[0]; // a path, or the program a command line runs
            String first = text.split("/", 2)[0];
            if (text.contains("/") && !text.contains("target/") && first.matches("\\.?\\w[.\\w-]*")
                    && (Files.exists(repo.resolve(first)) || Files.exists(folder.resolve(first)))) {
                paths.add(new ReadmeText.Piece(code.file(), code.line(), code.section(), text));
            }
        }
        return paths;
    }

    /** The DLF_ environment variables a README names ({@code -DDLF_…} are CMake's variables, not the environment's). */
    List<ReadmeText.Piece> environmentVariables(ReadmeText readme) {
        List<ReadmeText.Piece> variables = new ArrayList<>();
        for (ReadmeText.Piece code : readme.code) {
            Matcher m = VARIABLE.matcher(code.text());
            while (m.find()) {
                variables.add(new ReadmeText.Piece(code.file(), code.line(), code.section(), m.group(1)));
            }
        }
        return variables;
    }

    /**
     * The environment variables the engine, the plugin and the engine's launcher read: the literals
     * {@code "DLF_…"} of their sources and the {@code $DLF_…} of the launcher script.
     */
    Set<String> variablesTheProgramsRead() {
        Set<String> names = new TreeSet<>();
        for (Path file : filesUnder(List.of("java-engine/src/main", "obs-plugin/src", "native-shim/src", "native-shim/tools"))) {
            Matcher m = Pattern.compile("\"(DLF_[A-Z0-9_]+)\"").matcher(read(file));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        for (Path file : filesUnder(List.of("java-engine/src/bundle/bin"))) {
            Matcher m = Pattern.compile("\\$\\{?(DLF_[A-Z0-9_]+)").matcher(read(file));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** Code that runs Maven with profiles ({@code mvn -B -Pgpu,bundle …}). */
    List<ReadmeText.Piece> mavenCommands(ReadmeText readme) {
        return readme.code.stream().filter(c -> MAVEN_PROFILES.matcher(c.text()).find()).toList();
    }

    // ---- checks: empty when true, else the problem

    /**
     * A whole command must parse as the engine parses it (every alternative the synopsis allows); an elided one
     * must name commands that exist and options they (or their subcommands) have. Model names must be models.
     */
    Optional<String> commandProblem(QuotedCommand quoted) {
        if (quoted.elided()) {
            return elidedCommandProblem(quoted);
        }
        for (List<String> args : quoted.commandLines(commands)) {
            try {
                ParseResult parsed = Main.commandLine().parseArgs(args.toArray(String[]::new));
                while (parsed.hasSubcommand()) {
                    parsed = parsed.subcommand();
                }
                Optional<String> values = valuesProblem(quoted, parsed.commandSpec());
                if (values.isPresent()) {
                    return values;
                }
                if (MODEL_COMMANDS.contains(parsed.commandSpec().qualifiedName())) {
                    for (String name : parsed.matchedPositionals().stream()
                            .flatMap(p -> p.stringValues().stream()).toList()) {
                        if (!modelNames.contains(name)) {
                            return Optional.of(String.join(" ", args) + ": no model " + name + " in models/manifest.json");
                        }
                    }
                }
            } catch (ParameterException e) {
                return Optional.of(String.join(" ", args) + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * An option whose help lists its values ({@code --enhancer gfpgan|gpen256|gpen512}) takes only those: the
     * README may list no other (the engine checks them when it runs, not when it parses).
     */
    private static Optional<String> valuesProblem(QuotedCommand quoted, CommandSpec command) {
        List<String> words = quoted.words();
        for (int i = 0; i + 1 < words.size(); i++) {
            OptionSpec option = command.findOption(words.get(i).replaceAll("[\\[\\]]", ""));
            String value = words.get(i + 1).replaceAll("[\\[\\]]", "");
            if (option == null || !option.paramLabel().contains("|") || QuotedCommand.PLACEHOLDERS.containsKey(value)) {
                continue;
            }
            Set<String> allowed = Set.of(option.paramLabel().split("\\|"));
            for (String alternative : value.split("\\|")) {
                if (!allowed.contains(alternative)) {
                    return Optional.of(words.get(i) + " " + alternative + ": not one of " + option.paramLabel());
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> elidedCommandProblem(QuotedCommand quoted) {
        CommandLine command = Main.commandLine();
        for (String name : quoted.commandPath()) {
            CommandLine sub = command.getSubcommands().get(name);
            if (sub == null) {
                return Optional.of("'" + command.getCommandName() + "' has no command '" + name + "'");
            }
            command = sub;
        }
        Set<String> options = optionsBelow(command.getCommandSpec());
        for (String option : quoted.optionNames()) {
            if (!options.contains(option)) {
                return Optional.of("'" + command.getCommandSpec().qualifiedName() + "' has no option " + option);
            }
        }
        return Optional.empty();
    }

    private static Set<String> optionsBelow(CommandSpec spec) {
        Set<String> names = new HashSet<>();
        for (OptionSpec option : spec.options()) {
            names.addAll(List.of(option.names()));
        }
        for (CommandLine sub : spec.subcommands().values()) {
            names.addAll(optionsBelow(sub.getCommandSpec()));
        }
        return names;
    }

    Optional<String> messageProblem(ReadmeText.Piece message) {
        return program.whoSays(message.text()).isPresent()
                ? Optional.empty()
                : Optional.of("no program source, test or locale file says \"" + message.text() + "\"");
    }

    Optional<String> pathProblem(ReadmeText readme, ReadmeText.Piece path) {
        String relative = path.text().split("#", 2)[0];
        Path folder = readmeFolder(readme);
        boolean exists = Files.exists(folder.resolve(relative)) || Files.exists(repo.resolve(relative));
        return exists ? Optional.empty() : Optional.of(relative + " is not in the repository");
    }

    /** A variable a README names must be one a program, its tests or its build reads. */
    Optional<String> variableProblem(ReadmeText.Piece variable) {
        Pattern word = Pattern.compile("\\b" + variable.text() + "\\b");
        for (Path file : filesUnder(List.of("java-engine/src", "java-engine/pom.xml", "obs-plugin/src", "obs-plugin/tests",
                "obs-plugin/CMakeLists.txt", "obs-plugin/pom.xml", "native-shim", "pom.xml", ".ci"))) {
            if (!file.getFileName().toString().endsWith(".md") && !file.endsWith(Path.of(getClass().getSimpleName() + ".java"))
                    && word.matcher(read(file)).find()) {
                return Optional.empty();
            }
        }
        return Optional.of("no program, test or build file reads " + variable.text());
    }

    Optional<String> mavenProblem(ReadmeText.Piece code) {
        Matcher m = MAVEN_PROFILES.matcher(code.text());
        while (m.find()) {
            for (String profile : m.group(1).split(",")) {
                if (!profiles.contains(profile)) {
                    return Optional.of("no pom has a profile '" + profile + "' (profiles: " + profiles + ")");
                }
            }
        }
        return Optional.empty();
    }

    /** The regular files under the given folders (or the given files), build outputs left out. */
    private List<Path> filesUnder(List<String> places) {
        List<Path> files = new ArrayList<>();
        for (String place : places) {
            Path start = repo.resolve(place);
            if (!Files.exists(start)) {
                continue;
            }
            try (var walk = Files.walk(start)) {
                walk.filter(Files::isRegularFile).filter(f -> !repo.relativize(f).toString().contains("target/"))
                        .forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path readmeFolder(ReadmeText readme) {
        Path parent = Path.of(readme.file).getParent();
        return parent == null ? repo : repo.resolve(parent);
    }

    /** The profile ids of the root pom and its modules' poms. */
    private static Set<String> mavenProfiles(Path repo) {
        Set<String> ids = new HashSet<>();
        for (String pom : List.of("pom.xml", "native-shim/pom.xml", "obs-plugin/pom.xml", "java-engine/pom.xml")) {
            try {
                var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(repo.resolve(pom).toFile());
                NodeList profiles = doc.getElementsByTagName("profile");
                for (int i = 0; i < profiles.getLength(); i++) {
                    NodeList id = ((Element) profiles.item(i)).getElementsByTagName("id");
                    if (id.getLength() > 0) {
                        ids.add(id.item(0).getTextContent().strip());
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot read " + pom + ": " + e.getMessage(), e);
            }
        }
        return ids;
    }
}
