package app.deeplive.engine.models;

import java.nio.file.Path;
import java.util.List;

/**
 * Every mirror of a file failed. {@code attempts} says why, one entry per URL tried; {@code partial} is the
 * resumable {@code .part} file that remains, or null.
 */
public final class DownloadFailure extends Exception {
    private final List<String> attempts;
    private final Path partial;
    private final boolean diskFull;

    DownloadFailure(String message, List<String> attempts, Path partial, boolean diskFull) {
        super(message);
        this.attempts = List.copyOf(attempts);
        this.partial = partial;
        this.diskFull = diskFull;
    }

    public List<String> attempts() {
        return attempts;
    }

    public Path partial() {
        return partial;
    }

    /** The disk ran out (or would): no other mirror can help, the user must free space. */
    public boolean diskFull() {
        return diskFull;
    }
}
