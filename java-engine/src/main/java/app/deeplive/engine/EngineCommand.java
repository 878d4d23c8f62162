package app.deeplive.engine;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * How a user runs this engine, for hints a user copies: {@code java -jar /abs/path/deep-live-face-engine.jar ARGS},
 * or {@code /abs/path/bin/deep-live-face-engine ARGS} when the self-contained bundle's launcher started it.
 * The jar's absolute path makes the hint work from any directory (a relative {@code java-engine/target/…} works
 * only from the checkout root, and a bare {@code models fetch} not at all). Every hint that names a command goes
 * through here, so there is one place that knows the jar.
 */
public final class EngineCommand {
    public static final String JAR_NAME = "deep-live-face-engine.jar";
    /** Characters a POSIX shell passes through unquoted. */
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./+:@%=,-]+");

    /** Set by the bundle's bin/deep-live-face-engine to its own path: the bundle runs without a Java on PATH. */
    static final String LAUNCHER_PROPERTY = "dlf.launcher";
    private static final String PREFIX = prefix(System.getProperty(LAUNCHER_PROPERTY), codeSource());

    private EngineCommand() {}

    /** The bundle's launcher when the engine was started by it, else {@code java -jar <jar>}. */
    static String prefix(String launcher, Path codeSource) {
        if (launcher != null && !launcher.isBlank()) {
            return quoted(Path.of(launcher));
        }
        return "java -jar " + quoted(jar(codeSource));
    }

    /** The command line that runs the engine with {@code args}, e.g. {@code line("models fetch det_10g")}. */
    public static String line(String args) {
        return PREFIX + " " + args;
    }

    /**
     * The jar that holds the engine, from where its classes were loaded: the jar itself, or (classes run from a
     * build tree, as in tests and IDEs) the jar {@code mvn package} writes beside {@code target/classes}; else the
     * bare jar name.
     */
    static Path jar(Path codeSource) {
        if (codeSource == null) {
            return Path.of(JAR_NAME);
        }
        if (Files.isDirectory(codeSource) && codeSource.getParent() != null) {
            return codeSource.getParent().resolve(JAR_NAME);
        }
        return codeSource;
    }

    /** Where this class was loaded from (a jar or a classes directory), absolute; null if unknown. */
    public static Path codeSource() {
        try {
            return Path.of(EngineCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toAbsolutePath().normalize();
        } catch (URISyntaxException | SecurityException | NullPointerException | IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code path} as a shell word: single-quoted when it holds a space or another special character. */
    static String quoted(Path path) {
        String s = path.toString();
        return SHELL_SAFE.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
