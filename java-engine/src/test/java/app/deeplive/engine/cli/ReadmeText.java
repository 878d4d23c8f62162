package app.deeplive.engine.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A README as the README tests read it: its code (inline spans and the lines of fenced blocks), its "quoted" text
 * and its links, each with the file, line and section it stands in.
 */
final class ReadmeText {
    /** One piece of a README: {@code text} as a reader sees it (table escapes undone, line breaks as spaces). */
    record Piece(String file, int line, String section, String text) {
        /** Where it stands, for failure messages and test names. */
        String where() {
            return file + ":" + line;
        }
    }

    private static final Pattern FENCE = Pattern.compile("^\\s*```");
    private static final Pattern HEADING = Pattern.compile("^#+\\s+(.*)$");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern QUOTE = Pattern.compile("\"([^\"]+)\"");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    final String file;
    final List<Piece> code = new ArrayList<>();
    final List<Piece> quotes = new ArrayList<>();
    final List<Piece> links = new ArrayList<>();

    private final List<String> sectionOfLine = new ArrayList<>();

    private ReadmeText(String file) {
        this.file = file;
    }

    /** Reads {@code relative} (e.g. "obs-plugin/README.md") in the repository {@code repo}. */
    static ReadmeText read(Path repo, String relative) {
        try {
            return parse(relative, Files.readString(repo.resolve(relative)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ReadmeText parse(String file, String markdown) {
        ReadmeText readme = new ReadmeText(file);
        String[] lines = markdown.split("\n", -1);
        // Prose with fenced blocks blanked (line numbers kept), so spans and quotes are found across line breaks.
        StringBuilder prose = new StringBuilder();
        boolean fenced = false;
        String section = "";
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher heading = HEADING.matcher(line);
            if (!fenced && heading.matches()) {
                section = heading.group(1).trim();
            }
            readme.sectionOfLine.add(section);
            if (FENCE.matcher(line).find()) {
                fenced = !fenced;
                prose.append('\n');
                continue;
            }
            if (fenced) {
                String command = line.strip();
                if (!command.isEmpty() && !command.startsWith("#")) { // a shell comment is prose
                    readme.code.add(new Piece(file, i + 1, section, command));
                }
                prose.append('\n');
            } else {
                prose.append(line).append('\n');
            }
        }
        readme.scanProse(prose.toString());
        return readme;
    }

    private void scanProse(String prose) {
        Matcher span = CODE_SPAN.matcher(prose);
        StringBuilder outsideCode = new StringBuilder();
        int last = 0;
        while (span.find()) {
            code.add(piece(prose, span.start(), span.group(1)));
            outsideCode.append(prose, last, span.start()).append(" ".repeat(span.end() - span.start()));
            last = span.end();
        }
        outsideCode.append(prose.substring(last));
        String text = outsideCode.toString();
        Matcher quote = QUOTE.matcher(text);
        while (quote.find()) {
            quotes.add(piece(text, quote.start(), quote.group(1)));
        }
        Matcher link = LINK.matcher(text);
        while (link.find()) {
            links.add(piece(text, link.start(), link.group(1)));
        }
    }

    private Piece piece(String text, int offset, String raw) {
        int line = (int) text.substring(0, offset).chars().filter(c -> c == '\n').count();
        String clean = raw.replace("\\|", "|").replaceAll("\\s*\n\\s*", " ");
        return new Piece(file, line + 1, sectionOfLine.get(line), clean);
    }
}
