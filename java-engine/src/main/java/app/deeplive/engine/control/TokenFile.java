package app.deeplive.engine.control;

import app.deeplive.engine.UserHome;
import app.deeplive.engine.UserFacingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Where the engine leaves its token for clients: {@code $XDG_RUNTIME_DIR/deep-live-face/token} (a per-user tmpfs
 * on Linux), else {@code ~/.config/deep-live-face/token}. Written atomically (a 0600 temporary file renamed over
 * the old one), so a client never reads half a token and no other user can read it at any moment.
 */
public final class TokenFile {
    private final Path path;
    private static final long MAX_TOKEN_FILE_BYTES = 4096;
    private String replaced; // the token our write replaced (another engine's, maybe still running), or null

    public TokenFile(Path path) {
        this.path = path.toAbsolutePath().normalize();
    }

    /** The default location for this user, from the environment given (System.getenv() in production). */
    public static TokenFile standard(Map<String, String> env) {
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime))) {
            return new TokenFile(Path.of(runtime, "deep-live-face", "token"));
        }
        return new TokenFile(UserHome.of(env).resolve(".config/deep-live-face/token"));
    }

    public Path path() {
        return path;
    }

    /**
     * Writes the token, creating the folder (0700) if needed. Write it only once the engine listens: a start that
     * fails must leave another engine's token as it was.
     */
    public void write(AuthToken token) {
        replaced = current();
        put(token.value());
    }

    private void put(String value) {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path dir = path.getParent();
        Path tmp = null;
        try {
            if (!Files.isDirectory(dir)) {
                if (posix) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            }
            FileAttribute<?>[] userOnly = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                    : new FileAttribute<?>[0]; // elsewhere the user's profile folder's ACL protects it
            tmp = Files.createTempFile(dir, ".token-", ".tmp", userOnly);
            Files.writeString(tmp, value + "\n", StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UserFacingException("cannot write the token file " + path + ": " + e.getMessage()
                    + " (choose another place with --token-file)", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // Best effort: the temporary file is 0600 anyway.
                }
            }
        }
    }

    /**
     * Gives the file back when the engine stops: only if it still holds {@code token} (a file another engine wrote
     * since is left alone); then the token our write replaced is put back, for an engine that may still run, or the
     * file is removed. An engine never removes a token it did not write.
     */
    public void release(AuthToken token) {
        String now = current();
        if (now == null || !token.matches(now)) {
            return;
        }
        try {
            if (replaced != null) {
                put(replaced);
            } else {
                Files.delete(path);
            }
        } catch (IOException | RuntimeException ignored) {
            // Shutting down: a stale token file is harmless, the next start overwrites it.
        }
    }

    /** The token in the file, or null (no file, unreadable, empty, larger than any token). */
    private String current() {
        try {
            if (!Files.isRegularFile(path) || Files.size(path) > MAX_TOKEN_FILE_BYTES) {
                return null;
            }
            String value = Files.readString(path, StandardCharsets.US_ASCII).strip();
            return value.isEmpty() ? null : value;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
