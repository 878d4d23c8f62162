package app.deeplive.engine.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An engine command as a README quotes it, e.g. {@code serve [--port 47654] [--token-file F]} or
 * {@code ~/…/engine/bin/deep-live-face-engine models fetch NAME}: the words after the launcher, in the README's
 * synopsis notation ({@code [optional]}, {@code a|b}, {@code NAME…}, {@code 0..100}, placeholders).
 *
 * @param words  the command's words, launcher removed
 * @param elided the README leaves words out ({@code models … --models-dir DIR}, {@code serve --host/--port}), so
 *               only its command and option names can be checked, not a whole command line
 */
record QuotedCommand(ReadmeText.Piece quote, List<String> words, boolean elided) {
    /** The ways a README starts the engine; what follows is the engine's command line. */
    private static final Pattern LAUNCHER =
            Pattern.compile("(?:deep-live-face-engine\\.jar|bin/deep-live-face-engine|-jar <Engine jar>)(?:\\s+|$)");
    private static final String ELLIPSIS = "…";

    /**
     * README's placeholders, each with a value a user could type for it: a quoted command is checked as the
     * command line it stands for.
     */
    static final Map<String, String> PLACEHOLDERS = Map.ofEntries(
            Map.entry("F", "model.onnx"),
            Map.entry("KIND=F", "gfpgan=GFPGANv1.4.onnx"),
            Map.entry("T", "0.5"),
            Map.entry("N", "2"),
            Map.entry("S", "1"),
            Map.entry("IMAGE", "face.png"),
            Map.entry("VIDEO", "clip.mp4"),
            Map.entry("IMG[,IMG…]", "face.png,other.jpg"),
            Map.entry("REF=SOURCE", "ref.png=face.png"),
            Map.entry("PATH", "out.png"),
            Map.entry("DIR", "some/dir"),
            Map.entry("NAME", "det_10g"),
            Map.entry("WxH", "640x360"),
            Map.entry("ADDRESS", "0.0.0.0"),
            Map.entry("CHANNEL", "/dlf-1234-0123456789abcdef"),
            Map.entry("<name>", "/dlf-1234-0123456789abcdef"),
            Map.entry("<port>", "47654"),
            Map.entry("PID", "4321"),
            Map.entry("<pid>", "4321"),
            Map.entry("<token>", "/run/user/1000/deep-live-face/token"));
    private static final Pattern RANGE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\.\\.(\\d+(?:\\.\\d+)?)");

    /**
     * The engine command {@code code} quotes, if it quotes one: the words after a launcher, or after a leading
     * "…" (an elided launcher), or a snippet of two words or more that starts with one of {@code commands}.
     */
    static Optional<QuotedCommand> of(ReadmeText.Piece code, Set<String> commands) {
        String text = code.text().strip();
        Matcher launcher = LAUNCHER.matcher(text);
        String line;
        if (launcher.find()) {
            line = text.substring(launcher.end());
        } else if (text.startsWith(ELLIPSIS + " ")) {
            line = text.substring(ELLIPSIS.length());
        } else {
            line = text;
            String[] words = text.split("\\s+");
            if (words.length < 2 || !commands.contains(words[0])) {
                return Optional.empty();
            }
        }
        line = line.split("\\s+(?:&&|;|#)\\s*", 2)[0].strip(); // a shell line goes on with other commands
        if (line.isEmpty()) {
            return Optional.empty();
        }
        List<String> words = List.of(line.split("\\s+"));
        boolean elided = words.stream().anyMatch(w -> w.equals(ELLIPSIS) || (w.startsWith("-") && w.contains("/")));
        return Optional.of(new QuotedCommand(code, words, elided));
    }

    /** Every command line this synopsis stands for: each alternative ({@code a|b}) and each end of a range. */
    List<List<String>> commandLines(Set<String> commands) {
        List<List<String>> lines = new ArrayList<>(List.of(List.of()));
        for (String word : words) {
            List<String> values = values(word, commands);
            List<List<String>> longer = new ArrayList<>();
            for (List<String> line : lines) {
                for (String value : values) {
                    List<String> next = new ArrayList<>(line);
                    next.add(value);
                    longer.add(next);
                }
            }
            lines = longer;
        }
        return lines;
    }

    /** The option names it uses ({@code --host/--port} is two; {@code --map=X} is {@code --map}). */
    List<String> optionNames() {
        List<String> names = new ArrayList<>();
        for (String word : words) {
            String bare = word.replaceAll("[\\[\\]]", "");
            if (bare.startsWith("-")) {
                for (String name : bare.split("/")) {
                    names.add(name.split("=", 2)[0]);
                }
            }
        }
        return names;
    }

    /** The leading words that name commands (until the first option, placeholder or "…"). */
    List<String> commandPath() {
        List<String> path = new ArrayList<>();
        for (String word : words) {
            if (!word.matches("[a-z][a-z-]*")) {
                break;
            }
            path.add(word);
        }
        return path;
    }

    private static List<String> values(String word, Set<String> commands) {
        if (PLACEHOLDERS.containsKey(word)) {
            return List.of(PLACEHOLDERS.get(word));
        }
        if (word.equals("<command>")) {
            return List.copyOf(commands);
        }
        String bare = word.replaceAll("[\\[\\]]", "");
        if (bare.length() > 1 && bare.endsWith(ELLIPSIS)) { // NAME… : one or more
            bare = bare.substring(0, bare.length() - ELLIPSIS.length());
        }
        if (!bare.equals(word)) {
            return values(bare, commands);
        }
        if (word.contains("|")) {
            List<String> values = new ArrayList<>();
            for (String alternative : word.split("\\|")) {
                values.addAll(values(alternative, commands));
            }
            return values;
        }
        Matcher range = RANGE.matcher(word);
        if (range.matches()) {
            return List.of(range.group(1), range.group(2));
        }
        return List.of(word);
    }
}
