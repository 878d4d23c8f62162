package app.deeplive.engine.models;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Puts a verified file where the engine loads it with one rename, so a reader sees the old file or the whole new
 * one, never a half-written one.
 */
final class AtomicPlacement {
    private AtomicPlacement() {}

    static void place(Path verified, Path target) throws IOException {
        try {
            Files.move(verified, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // The downloads folder is on another file system (a mount): copy beside the target, then rename there.
            Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
            try {
                Files.copy(verified, tmp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            Files.delete(verified);
        }
    }
}
