package app.deeplive.engine.models;

import app.deeplive.engine.EngineCommand;
import app.deeplive.engine.UserFacingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code models.lock.json} in the model directory: what this installation trusts and has checked.
 * <ul>
 *   <li>pins — for files the manifest has no hash for, the SHA-256 of the first download (trust on first use);
 *       later checks compare against it.</li>
 *   <li>checks — the SHA-256 last computed for a file with its size and modification time, so {@code models list}
 *       can tell "verified" without re-hashing gigabytes.</li>
 * </ul>
 * Saved by writing a temporary file and renaming it over the old one.
 */
public final class LockFile {
    public static final String FILE_NAME = "models.lock.json";

    /** A trusted-on-first-use hash. */
    public record Pin(String sha256, long size, Instant pinnedAt, String source) {}

    /** The hash a file had when last read, valid while its size and modification time are unchanged. */
    public record Check(String sha256, long size, long modifiedMillis) {}

    private final Path path;
    private final Map<String, Pin> pins = new TreeMap<>();
    private final Map<String, Check> checks = new TreeMap<>();

    private LockFile(Path path) {
        this.path = path;
    }

    /** Reads the lock file in {@code modelDir}; a missing one is empty. */
    public static LockFile load(Path modelDir) {
        LockFile lock = new LockFile(modelDir.resolve(FILE_NAME));
        if (!Files.isRegularFile(lock.path)) {
            return lock;
        }
        try {
            JsonNode root = new ObjectMapper().readTree(lock.path.toFile());
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path("pins").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode p = e.getValue();
                lock.pins.put(e.getKey(), new Pin(hex(p), p.path("size").asLong(-1),
                        Instant.parse(p.path("pinned_at").asText()), p.path("source").asText(null)));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path("checks").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode c = e.getValue();
                lock.checks.put(e.getKey(), new Check(hex(c), c.path("size").asLong(-1), c.path("modified").asLong(-1)));
            }
        } catch (IOException | RuntimeException e) {
            throw new UserFacingException("cannot read " + lock.path + " (" + e.getMessage()
                    + "): fix or delete it (deleting forgets pinned hashes) and run `" + EngineCommand.line("models verify") + "`", e);
        }
        return lock;
    }

    private static String hex(JsonNode n) {
        String s = n.path("sha256").asText();
        if (!Sha256.isValidHex(s)) {
            throw new IllegalArgumentException("bad sha256 \"" + s + "\"");
        }
        return s;
    }

    public Path path() {
        return path;
    }

    public Optional<Pin> pin(String file) {
        return Optional.ofNullable(pins.get(file));
    }

    public void pin(String file, Pin pin) {
        pins.put(file, pin);
    }

    public Optional<Check> check(String file) {
        return Optional.ofNullable(checks.get(file));
    }

    public void recordCheck(String file, Check check) {
        checks.put(file, check);
    }

    public void forgetCheck(String file) {
        checks.remove(file);
    }

    /** Writes the file atomically (a reader sees the old or the new content, never half). */
    public void save() throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("version", 1);
        root.put("comment", "written by `models fetch/verify`; pins are hashes trusted on first download");
        ObjectNode p = root.putObject("pins");
        pins.forEach((file, pin) -> {
            ObjectNode n = p.putObject(file);
            n.put("sha256", pin.sha256());
            n.put("size", pin.size());
            n.put("pinned_at", pin.pinnedAt().toString());
            n.put("source", pin.source());
        });
        ObjectNode c = root.putObject("checks");
        checks.forEach((file, check) -> {
            ObjectNode n = c.putObject(file);
            n.put("sha256", check.sha256());
            n.put("size", check.size());
            n.put("modified", check.modifiedMillis());
        });
        // The temporary file sits in the (git-ignored) downloads folder of the same file system.
        Path tmp = path.resolveSibling(ModelFetcher.DOWNLOADS_DIR).resolve(FILE_NAME + ".tmp");
        Files.createDirectories(tmp.getParent());
        Files.write(tmp, mapper.writeValueAsBytes(root));
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
