package app.deeplive.engine.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the programs can say: the string literals of the engine's and the plugin's sources and tests (tests pin
 * messages assembled at run time), the plugin's locale strings and the model manifest's text. Literals joined
 * with {@code +} (Java) or placed side by side (C) read as one; a value filled in at run time ({@code + name +},
 * {@code %s}) is a gap, which stands for one short word (a name, a number, a path).
 */
final class ProgramText {
    private static final char GAP = '\u0000';
    private static final char BREAK = '\n';
    private static final int MAX_GAP = 60;

    private record Source(Path file, String text) {}

    private final List<Source> sources;

    private ProgramText(List<Source> sources) {
        this.sources = sources;
    }

    /** The texts of the repository at {@code repo}. */
    static ProgramText of(Path repo) {
        List<Source> sources = new ArrayList<>();
        for (String dir : List.of("java-engine/src", "obs-plugin/src", "obs-plugin/tests", "obs-plugin/data/locale",
                "native-shim/src", "native-shim/tools", "models")) {
            try (Stream<Path> files = Files.walk(repo.resolve(dir))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String name = file.getFileName().toString();
                    if (name.equals(ReadmeIsTrueTest.class.getSimpleName() + ".java")) {
                        continue; // its made-up README lines are not what a program says
                    }
                    if (name.matches(".*\\.(java|c|h)")) {
                        sources.add(new Source(repo.relativize(file), literals(Files.readString(file), true)));
                    } else if (name.matches(".*\\.(ini|json)")) {
                        sources.add(new Source(repo.relativize(file), literals(Files.readString(file), false)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ProgramText(sources);
    }

    /**
     * The file that can print {@code message}, whose "…" stand for text the README leaves out: each part between
     * them must be in one file, in order.
     */
    Optional<Path> whoSays(String message) {
        List<String> parts = Stream.of(message.split("…")).map(String::strip).filter(p -> !p.isEmpty()).toList();
        for (Source source : sources) {
            int from = 0;
            for (String part : parts) {
                from = find(source.text, part, from);
                if (from < 0) {
                    break;
                }
            }
            if (from >= 0) {
                return Optional.of(source.file);
            }
        }
        return Optional.empty();
    }

    /** The end of the first match of {@code part} in {@code text} at or after {@code from}, or -1. */
    private static int find(String text, String part, int from) {
        for (int start = from; start < text.length(); start++) {
            int end = matchAt(text, start, part, 0, 0, 0);
            if (end >= 0) {
                return end;
            }
        }
        return -1;
    }

    /**
     * Matches part[p..] at text[t..], a gap taking 1..MAX_GAP characters of part without a space (a name, a number,
     * a path); the end in text, or -1. The source must say most of it: the letters matched as written must be at
     * least as many as the characters gaps took (a bare "%s %s" says nothing).
     */
    private static int matchAt(String text, int t, String part, int p, int written, int filled) {
        if (p == part.length()) {
            return written >= filled ? t : -1;
        }
        if (t == text.length()) {
            return -1;
        }
        char c = text.charAt(t);
        if (c == GAP) {
            for (int taken = 1; taken <= MAX_GAP && p + taken <= part.length()
                    && !Character.isWhitespace(part.charAt(p + taken - 1)); taken++) {
                int end = matchAt(text, t + 1, part, p + taken, written, filled + taken);
                if (end >= 0) {
                    return end;
                }
            }
            return -1;
        }
        if (c != part.charAt(p)) {
            return -1;
        }
        return matchAt(text, t + 1, part, p + 1, written + (Character.isLetterOrDigit(c) ? 1 : 0), filled);
    }

    /**
     * The string literals of a source, in order: joined where only {@code +} or space separates them, a gap where
     * an expression does (in code), a break where a statement or line (in data files) ends.
     */
    static String literals(String source, boolean code) {
        StringBuilder out = new StringBuilder();
        StringBuilder between = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (code && source.startsWith("//", i)) {
                i = Math.max(source.indexOf('\n', i), i + 1);
                between.append(';'); // a comment ends what a literal was part of
            } else if (code && source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
            } else if (code && c == '\'') {
                int end = i + 1;
                while (end < source.length() && source.charAt(end) != '\'') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                i = end + 1;
                between.append('x');
            } else if (c == '"') {
                StringBuilder literal = new StringBuilder();
                int end = i + 1;
                while (end < source.length() && source.charAt(end) != '"') {
                    char d = source.charAt(end);
                    if (d == '\\' && end + 1 < source.length()) {
                        char e = source.charAt(end + 1);
                        literal.append(e == 'n' || e == 't' ? ' ' : e);
                        end += 2;
                    } else {
                        literal.append(d);
                        end++;
                    }
                }
                i = end + 1;
                out.append(separator(between.toString(), code));
                out.append(code ? withGaps(literal.toString()) : literal);
                between.setLength(0);
            } else {
                between.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String separator(String between, boolean code) {
        if (!code) {
            return String.valueOf(BREAK);
        }
        if (between.isBlank() || between.strip().equals("+")) {
            return "";
        }
        return between.matches("(?s).*[;{}].*") ? String.valueOf(BREAK) : String.valueOf(GAP);
    }

    /** A printf/String.format conversion ({@code %s}, {@code %.1f}, {@code %zu}) is a value filled in: a gap. */
    private static String withGaps(String literal) {
        return literal.replaceAll("%[-+ #0]*\\d*(?:\\.\\d+)?(?:hh|h|ll|l|z|j|t|L)?[diouxXeEfFgGcsp]", String.valueOf(GAP))
                .replace("%%", "%");
    }
}
